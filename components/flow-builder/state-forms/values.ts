import type { Operand } from "@/server/flows/flow-schema";

/** An emptied number input removes the (optional) field instead of storing NaN or 0. */
export function parseNumber(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const isPrimitive = (v: unknown): v is string | number | boolean => ["string", "number", "boolean"].includes(typeof v);

/** Text a person typed as a condition operand: JSON numbers, booleans, null and lists are literals of that kind, anything else is text. */
export function textToOperand(text: string): Operand {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
    if (Array.isArray(value) && value.every(isPrimitive)) return value;
  } catch {
    // Not JSON: plain text (a {reference} or a word).
  }
  return text;
}

export const operandToText = (operand: Operand | undefined): string =>
  operand === undefined ? "" : typeof operand === "string" ? operand : JSON.stringify(operand);

/** Renames a key in place, so rows keep their order (and exports stay diffable). */
export function renameKey<V>(record: Record<string, V>, from: string, to: string): Record<string, V> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key === from ? to : key, value]));
}

export function withoutKey<V>(record: Record<string, V>, gone: string): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== gone));
}

/** Lines of a textarea as list values: trimmed, blanks dropped. */
export const linesOf = (text: string): string[] =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** An optional text field emptied: the key goes and the engine's default applies. */
export const optionalText = (text: string): string | undefined => (text === "" ? undefined : text);

/** `base` with `patch` applied, where a patched `undefined` deletes the key: the draft never holds `key: undefined`. */
export function patched<T extends object>(base: T, patch: Partial<T>): T {
  const next: Record<string, unknown> = { ...base, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete next[key];
  return next as T;
}
