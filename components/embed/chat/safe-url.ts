/**
 * A URL we may put in an href or src: only http(s), resolved against `base` when relative (the app's own
 * upload URLs). Anything else (`javascript:`, `data:`, garbage) is null and is shown as text instead.
 */
export function safeUrl(raw: unknown, base?: string): string | null {
  if (typeof raw !== "string" || raw.trim() === "") return null;
  try {
    const url = base ? new URL(raw, base) : new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

export type TextPart = { text: string; href?: string };

const LINK = /https?:\/\/[^\s<>"']+/gi;
// Sentence punctuation right after a link belongs to the sentence.
const TRAILING = /[.,;:!?)\]]+$/;

/** Message text cut into plain parts and http(s) links; nothing else becomes a link, so `javascript:` stays text. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const start = match.index;
    const candidate = match[0].replace(TRAILING, "");
    const href = safeUrl(candidate);
    if (!href) continue;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: candidate, href });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
