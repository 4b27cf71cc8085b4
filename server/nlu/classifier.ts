import { listEntityName } from "./list-entities";
import { normalizeText, singularize, stem, tokenize } from "./text-normalize";

export type IntentScore = { intent: string; confidence: number };
export type IntentResult = { intent: string | null; confidence: number; alternatives: IntentScore[] };
export type IntentExamples = Record<string, { examples?: readonly string[] }>;

export interface IntentClassifier {
  /** `candidates` restricts the answer to the intents a state listens for. */
  classify(text: string, candidates?: readonly string[]): IntentResult;
}

type SparseVector = Map<string, number>;
type Counts = { word: Map<string, number>; char: Map<string, number> };
type Vectors = { word: SparseVector; char: SparseVector };
/** `docs` index the example documents in the inverted indexes; `centroidDoc` the intent's centroid. */
type ExampleModel = { kind: "examples"; normalized: Set<string>; docs: number[]; centroidDoc: number };
type KeywordModel = { kind: "keyword"; stems: string[] };

// Function words carry no intent and would otherwise make every pair of sentences look alike.
const STOPWORDS = new Set(
  "a an the i im ive id me my mine you your youre we us our it its is are am was were be been to of for and or on in at with this that these those please so just some any do does did can could would will shall should there here get got".split(
    " ",
  ),
);

const WORD_WEIGHT = 0.45;
const CHAR_WEIGHT = 0.55;
const NEAREST_WEIGHT = 0.7;
const CENTROID_WEIGHT = 0.3;
const KEYWORD_FULL_MATCH = 0.9;
const MAX_ALTERNATIVES = 3;

function contentTokens(text: string): string[] {
  // Any token with a digit becomes one symbol: "under 500" and "under 1000" are the same request.
  const tokens = tokenize(text).map((t) => (/\d/.test(t) ? "0" : t));
  const content = tokens.filter((t) => !STOPWORDS.has(t));
  return content.length > 0 ? content : tokens;
}

function countFeatures(text: string, entityClasses: ReadonlyMap<string, string>): Counts {
  // A list value stands for its class: which product was named rarely changes the intent.
  const tokens = contentTokens(text).map((t) => {
    const entity = entityClasses.get(singularize(t));
    return entity ? `#${entity}` : t;
  });
  const stems = tokens.map((t) => (t.startsWith("#") ? t : stem(t)));
  const word = new Map<string, number>();
  const char = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  stems.forEach((s, i) => {
    bump(word, s);
    const next = stems[i + 1];
    if (next !== undefined) bump(word, `${s} ${next}`);
  });
  for (const token of tokens) {
    if (token.startsWith("#")) continue;
    const padded = ` ${token} `;
    for (let n = 3; n <= 5; n++) {
      for (let i = 0; i + n <= padded.length; i++) bump(char, padded.slice(i, i + n));
    }
  }
  return { word, char };
}

function normalize(vector: SparseVector): SparseVector {
  let norm = 0;
  for (const v of vector.values()) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  for (const [k, v] of vector) vector.set(k, v / norm);
  return vector;
}

/**
 * Feature -> the documents (examples and centroids) that contain it, with their weights. Scoring a
 * query then touches only the postings of the query's own features instead of every example's map.
 */
class InvertedIndex {
  private readonly postings = new Map<string, { docs: number[]; weights: number[] }>();

  add(doc: number, vector: SparseVector, scale: number): void {
    for (const [feature, weight] of vector) {
      let list = this.postings.get(feature);
      if (!list) this.postings.set(feature, (list = { docs: [], weights: [] }));
      list.docs.push(doc);
      list.weights.push(weight * scale);
    }
  }

  /** Adds the query's dot product with every document into `scores`. */
  accumulate(query: SparseVector, scores: Float64Array): void {
    for (const [feature, q] of query) {
      const list = this.postings.get(feature);
      if (!list) continue;
      for (let i = 0; i < list.docs.length; i++) scores[list.docs[i]!]! += q * list.weights[i]!;
    }
  }
}

function centroidOf(vectors: Vectors[]): Vectors {
  const sum = (pick: (v: Vectors) => SparseVector) => {
    const acc: SparseVector = new Map();
    for (const v of vectors) for (const [k, w] of pick(v)) acc.set(k, (acc.get(k) ?? 0) + w);
    return normalize(acc);
  };
  return { word: sum((v) => v.word), char: sum((v) => v.char) };
}

/**
 * Maps a raw similarity to [0,1]. The logistic midpoint sits where paraphrases that share
 * one content word with an example land, and the margin factor keeps a near tie between
 * two intents from reading as certainty.
 */
function calibrate(best: number, second: number): number {
  if (best <= 0.05) return 0;
  const absolute = 1 / (1 + Math.exp(-12 * (best - 0.3)));
  const margin = Math.max(0, Math.min(1, (best - second) / (0.5 * best)));
  return round(absolute * (0.65 + 0.35 * margin));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Name words of an intent without examples, e.g. "order_inquiry" -> ["order", "inquiry"]. */
function keywordStems(name: string): string[] {
  return tokenize(name.replace(/[_-]+/g, " ")).map(stem);
}

/**
 * Tenant list values (one word each) also count as their list's class, so examples about
 * a phone teach the classifier about laptops too: "looking for a laptop" ~ "looking for a phone".
 */
function entityClassesOf(lists: Record<string, readonly string[]>): Map<string, string> {
  const classes = new Map<string, string>();
  for (const [key, values] of Object.entries(lists)) {
    for (const value of values) {
      const tokens = tokenize(value);
      if (tokens.length === 1 && tokens[0]) classes.set(singularize(tokens[0]), listEntityName(key));
    }
  }
  return classes;
}

export function trainClassifier(intents: IntentExamples, lists: Record<string, readonly string[]> = {}): IntentClassifier {
  const entityClasses = entityClassesOf(lists);
  const featurize = (text: string) => countFeatures(text, entityClasses);
  const names = Object.keys(intents);
  const featuresByIntent = new Map<string, Counts[]>();
  const wordDf = new Map<string, number>();
  const charDf = new Map<string, number>();
  let documents = 0;

  for (const name of names) {
    const examples = (intents[name]?.examples ?? []).filter((e) => normalizeText(e) !== "");
    const counted = examples.map(featurize);
    featuresByIntent.set(name, counted);
    for (const features of counted) {
      documents++;
      for (const key of features.word.keys()) wordDf.set(key, (wordDf.get(key) ?? 0) + 1);
      for (const key of features.char.keys()) charDf.set(key, (charDf.get(key) ?? 0) + 1);
    }
  }

  const unseenIdf = Math.log(1 + documents) + 1;
  const toIdf = (df: Map<string, number>) => {
    const idf = new Map<string, number>();
    for (const [k, seen] of df) idf.set(k, Math.log((1 + documents) / (1 + seen)) + 1);
    return idf;
  };
  const wordIdf = toIdf(wordDf);
  const charIdf = toIdf(charDf);
  const weigh = (counts: Map<string, number>, idf: Map<string, number>): SparseVector => {
    const vector: SparseVector = new Map();
    for (const [k, count] of counts) {
      const tf = count === 1 ? 1 : 1 + Math.log(count);
      vector.set(k, tf * (idf.get(k) ?? unseenIdf));
    }
    return normalize(vector);
  };
  const vectorize = (features: Counts): Vectors => ({
    word: weigh(features.word, wordIdf),
    char: weigh(features.char, charIdf),
  });

  // A document's similarity to the query is WORD_WEIGHT * cos(word) + CHAR_WEIGHT * cos(char); the
  // weights are folded into the postings so one accumulation pass yields it.
  const wordIndex = new InvertedIndex();
  const charIndex = new InvertedIndex();
  let documentCount = 0;
  const addDocument = (vectors: Vectors) => {
    const doc = documentCount++;
    wordIndex.add(doc, vectors.word, WORD_WEIGHT);
    charIndex.add(doc, vectors.char, CHAR_WEIGHT);
    return doc;
  };
  const models = new Map<string, ExampleModel | KeywordModel>();
  for (const name of names) {
    const counted = featuresByIntent.get(name) ?? [];
    if (counted.length === 0) {
      models.set(name, { kind: "keyword", stems: keywordStems(name) });
      continue;
    }
    const vectors = counted.map(vectorize);
    const normalized = new Set((intents[name]?.examples ?? []).map(normalizeText));
    models.set(name, { kind: "examples", normalized, docs: vectors.map(addDocument), centroidDoc: addDocument(centroidOf(vectors)) });
  }

  function rawScore(model: ExampleModel | KeywordModel, similarities: Float64Array, text: string, stems: Set<string>) {
    if (model.kind === "keyword") {
      if (model.stems.length === 0) return 0;
      const hits = model.stems.filter((s) => stems.has(s)).length;
      return hits === model.stems.length ? KEYWORD_FULL_MATCH : (0.5 * KEYWORD_FULL_MATCH * hits) / model.stems.length;
    }
    if (model.normalized.has(text)) return 1;
    let nearest = 0;
    for (const doc of model.docs) nearest = Math.max(nearest, similarities[doc]!);
    return NEAREST_WEIGHT * nearest + CENTROID_WEIGHT * similarities[model.centroidDoc]!;
  }

  return {
    classify(text, candidates) {
      const normalized = normalizeText(text);
      const pool = (candidates ?? names).filter((n) => models.has(n));
      if (normalized === "" || pool.length === 0) return { intent: null, confidence: 0, alternatives: [] };

      const query = vectorize(featurize(text));
      const similarities = new Float64Array(documentCount);
      wordIndex.accumulate(query.word, similarities);
      charIndex.accumulate(query.char, similarities);
      const stems = new Set(tokenize(text).map(stem));
      const scored = pool.map((intent) => {
        const model = models.get(intent);
        return { intent, raw: model ? rawScore(model, similarities, normalized, stems) : 0, keyword: model?.kind === "keyword" };
      });
      // Stable sort keeps declared order on ties, so results are deterministic.
      scored.sort((a, b) => b.raw - a.raw);
      const [top, second] = scored;
      const confidenceOf = (entry: { raw: number; keyword: boolean }, rival: number) =>
        entry.keyword || entry.raw === 1 ? round(entry.raw) : calibrate(entry.raw, rival);
      const confidence = top ? confidenceOf(top, second?.raw ?? 0) : 0;
      if (!top || confidence === 0) return { intent: null, confidence: 0, alternatives: [] };

      const alternatives = scored
        .slice(1)
        .map((s) => ({ intent: s.intent, confidence: confidenceOf(s, top.raw) }))
        .filter((s) => s.confidence > 0)
        .slice(0, MAX_ALTERNATIVES);
      return { intent: top.intent, confidence, alternatives };
    },
  };
}
