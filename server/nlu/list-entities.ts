import { singularize, tokenize } from "./text-normalize";

/**
 * Entity name for a tenant list: the key with its last word singularised, so
 * `products` -> `product`, `use_cases` -> `use_case`, `size` -> `size`.
 */
export function listEntityName(key: string): string {
  const parts = key.split("_");
  const last = parts.pop() ?? key;
  return [...parts, singularize(last.toLowerCase())].join("_");
}

type CompiledValue = { value: string; tokens: string[] };
export type CompiledList = CompiledValue[];

export function compileList(values: readonly string[]): CompiledList {
  return values
    .map((value) => ({ value, tokens: tokenize(value).map(singularize) }))
    .filter((v) => v.tokens.length > 0);
}

/** First list value mentioned in the text (longest wins at the same position), matched on singular forms. */
export function matchList(text: string, list: CompiledList): string | null {
  const words = tokenize(text).map(singularize);
  let best: { value: string; at: number; length: number } | null = null;
  for (const candidate of list) {
    const n = candidate.tokens.length;
    for (let at = 0; at + n <= words.length; at++) {
      if (best && at > best.at) break;
      if (candidate.tokens.every((t, i) => words[at + i] === t)) {
        if (!best || at < best.at || n > best.length) best = { value: candidate.value, at, length: n };
        break;
      }
    }
  }
  return best?.value ?? null;
}

export function createListMatcher(lists: Record<string, readonly string[]>): (text: string) => Record<string, string> {
  const compiled = Object.entries(lists).map(([key, values]) => ({ entity: listEntityName(key), list: compileList(values) }));
  return (text) => {
    const found: Record<string, string> = {};
    for (const { entity, list } of compiled) {
      const value = matchList(text, list);
      if (value !== null) found[entity] = value;
    }
    return found;
  };
}
