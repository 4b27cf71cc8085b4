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

/** Path to the first key or string value Postgres cannot store, or null; iterative, so depth cannot overflow the stack. */
export function unstorablePath(value: unknown): (string | number)[] | null {
  const pending: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (pending.length > 0) {
    const { node, path } = pending.pop()!;
    if (typeof node === "string") {
      if (!isStorableText(node)) return path;
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => pending.push({ node: child, path: [...path, i] }));
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if (!isStorableText(key)) return path;
        pending.push({ node: child, path: [...path, key] });
      }
    }
  }
  return null;
}

/** A JSON object column's input: storable strings only, and at most `maxBytes` once serialized. */
export const storableJsonObject = (maxBytes: number) =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const path = unstorablePath(value);
    if (path) ctx.addIssue({ code: "custom", path, params: { says: UNSTORABLE_TEXT_RULE } });
    else if (Buffer.byteLength(JSON.stringify(value)) > maxBytes) ctx.addIssue({ code: "custom", params: { says: `is at most ${maxBytes / 1024} KB of JSON` } });
  });
