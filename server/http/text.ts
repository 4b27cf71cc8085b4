import { z } from "zod";
import { saying } from "../errors/zod-messages";

// Postgres refuses U+0000 in text and jsonb, and an unpaired UTF-16 surrogate cannot be encoded as UTF-8
// (jsonb refuses its escape; text would silently store U+FFFD), so such strings are refused at the edge.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Said after the field's label ("User ID must not contain ..."); see server/errors/zod-messages.ts. */
export const UNSTORABLE_TEXT_RULE = "must not contain NUL characters or unpaired UTF-16 surrogates";

export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/** The string schema, refusing text Postgres cannot store with a 400 naming the field. */
export const storable = <T extends z.ZodType<string>>(schema: T): T => schema.refine(isStorableText, saying(UNSTORABLE_TEXT_RULE));

/**
 * Paths to the keys and string values Postgres cannot store, in document order, at most `limit` of them;
 * iterative, so depth cannot overflow the stack.
 */
export function unstorablePaths(value: unknown, limit = 20): (string | number)[][] {
  const found: (string | number)[][] = [];
  const pending: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (pending.length > 0 && found.length < limit) {
    const { node, path } = pending.pop()!;
    if (typeof node === "string") {
      if (!isStorableText(node)) found.push(path);
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) pending.push({ node: node[i], path: [...path, i] });
    } else if (node !== null && typeof node === "object") {
      const entries = Object.entries(node);
      if (entries.some(([key]) => !isStorableText(key))) {
        found.push(path);
        continue;
      }
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ node: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return found;
}

/** Path to the first key or string value Postgres cannot store, or null. */
export const unstorablePath = (value: unknown): (string | number)[] | null => unstorablePaths(value, 1)[0] ?? null;

/** A JSON object column's input: storable strings only, and at most `maxBytes` once serialized. */
export const storableJsonObject = (maxBytes: number) =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const path = unstorablePath(value);
    if (path) ctx.addIssue({ code: "custom", path, params: { says: UNSTORABLE_TEXT_RULE } });
    else if (Buffer.byteLength(JSON.stringify(value)) > maxBytes) ctx.addIssue({ code: "custom", params: { says: `is at most ${maxBytes / 1024} KB of JSON` } });
  });
