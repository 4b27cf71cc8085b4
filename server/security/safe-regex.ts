import { RE2JS } from "re2js";

/**
 * Tenant-supplied patterns run on RE2 semantics (re2js): matching time is linear in the input,
 * so no pattern a tenant saves, however nested, can stall a worker. Features that need
 * backtracking (backreferences, lookaround) do not compile, and are reported in plain words.
 */
export const MAX_PATTERN_LENGTH = 500;
/** Longer answers are not matched at all: a pattern checks a short value such as an order number. */
export const MAX_MATCHED_INPUT = 1000;

export type CompiledPattern = { ok: true; regex: RE2JS } | { ok: false; error: string };

const MAX_CACHED = 500;
const cache = new Map<string, CompiledPattern>();

function explain(error: unknown): string {
  const detail = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp:\s*/, "");
  if (/`\\[1-9k]/.test(detail)) return "Backreferences (\\1, \\k<name>) are not supported; patterns must match in linear time.";
  if (/`\(\?(=|!|<=|<!)/.test(detail)) return "Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported; patterns must match in linear time.";
  return `Invalid regular expression: ${detail}`;
}

function compile(pattern: string): CompiledPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) return { ok: false, error: `Patterns are limited to ${MAX_PATTERN_LENGTH} characters.` };
  try {
    return { ok: true, regex: RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE) };
  } catch (error) {
    return { ok: false, error: explain(error) };
  }
}

/** Case-insensitive, compiled once per pattern string (bounded, least recently used goes first). */
export function compilePattern(pattern: string): CompiledPattern {
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const compiled = compile(pattern);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(pattern, compiled);
  return compiled;
}

/** The first match of `pattern` in `text`, or null (also for a pattern that does not compile, or text over the cap). */
export function findPatternMatch(pattern: string, text: string): string | null {
  const compiled = compilePattern(pattern);
  if (!compiled.ok || text.length > MAX_MATCHED_INPUT) return null;
  const matcher = compiled.regex.matcher(text);
  return matcher.find() ? matcher.group() : null;
}
