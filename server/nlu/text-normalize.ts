// Shared by training and classification: both sides must normalise identically or
// n-gram features silently stop matching.

const COMBINING_MARKS = /[\u0300-\u036f]/g;

export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(/['\u2019`]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === "" ? [] : normalized.split(" ");
}

const IRREGULAR_SINGULARS: Record<string, string> = {
  movies: "movie",
  cookies: "cookie",
  pies: "pie",
  ties: "tie",
  children: "child",
  people: "person",
};

const INVARIANT = /(ss|us|is|series|species|news)$/;

/** English plural to singular, good enough for product names and list keys. */
export function singularize(word: string): string {
  const irregular = IRREGULAR_SINGULARS[word];
  if (irregular) return irregular;
  if (word.length <= 3 || INVARIANT.test(word)) return word;
  if (word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh|zz)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

/**
 * A light suffix stripper (plurals, -ing, -ed). It only has to map inflections of the
 * same word to one key, so "shipping"/"shipped"/"ships" -> "ship" is all that matters.
 */
export function stem(word: string): string {
  let w = singularize(word);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  else return w;
  if (/([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}
