import type { ExpectedTurn } from "./test-case-schema";

export type FieldDiff<T> = { expected: T; actual: T; changed: boolean };

/** One replayed turn: what the stored conversation did then (expected) beside what the flow does now (actual). */
export type TurnDiff = {
  /** 1-based, as people count turns. */
  turn: number;
  input: string;
  replies: FieldDiff<string[]>;
  state: FieldDiff<string>;
  intent: FieldDiff<string | null>;
  slots: FieldDiff<Record<string, unknown>>;
  /** Why the replay could not run the turn as it ran then (a missing recorded model answer, a failed turn). */
  notes: string[];
};

/** Key order is not meaningful (jsonb reorders keys), so values are compared in a canonical form. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

const field = <T>(expected: T, actual: T): FieldDiff<T> => ({ expected, actual, changed: !sameJson(expected, actual) });

export function diffTurn(turn: number, input: string, expected: ExpectedTurn, actual: ExpectedTurn, notes: string[] = []): TurnDiff {
  return {
    turn,
    input,
    replies: field(expected.replies, actual.replies),
    state: field(expected.state, actual.state),
    intent: field(expected.intent, actual.intent),
    slots: field(expected.slots, actual.slots),
    notes,
  };
}

export const turnPassed = (d: TurnDiff): boolean => !d.replies.changed && !d.state.changed && !d.intent.changed && !d.slots.changed;

const quoted = (text: string) => `“${text}”`;
const shown = (value: unknown) => (value === undefined ? "no value" : quoted(typeof value === "string" ? value : JSON.stringify(value)));

function replyDifference({ expected, actual }: FieldDiff<string[]>): string {
  const i = expected.findIndex((text, index) => text !== actual[index]);
  if (i === -1) return `expected no further reply, got ${quoted(actual[expected.length]!)}`;
  return actual[i] === undefined ? `expected reply ${quoted(expected[i]!)}, got no reply` : `expected reply ${quoted(expected[i]!)}, got ${quoted(actual[i])}`;
}

function slotDifference({ expected, actual }: FieldDiff<Record<string, unknown>>): string {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const key = keys.find((k) => !sameJson(expected[k], actual[k]))!;
  return `expected slot ${key} ${shown(expected[key])}, got ${shown(actual[key])}`;
}

/** The first thing that differs in a turn, in words: "expected reply “Hi”, got “Hello”". Null when nothing does. */
function turnDifference(d: TurnDiff): string | null {
  if (d.replies.changed) return replyDifference(d.replies);
  if (d.state.changed) return `expected state ${quoted(d.state.expected)}, got ${quoted(d.state.actual)}`;
  if (d.intent.changed) return `expected intent ${d.intent.expected === null ? "none" : quoted(d.intent.expected)}, got ${d.intent.actual === null ? "none" : quoted(d.intent.actual)}`;
  if (d.slots.changed) return slotDifference(d.slots);
  return null;
}

/** "Turn 2: expected reply “…”, got “…”", with the replay's own notes on that turn; null when every turn passed. */
export function firstDifference(turns: TurnDiff[]): string | null {
  for (const d of turns) {
    const difference = turnDifference(d);
    if (difference) return `Turn ${d.turn}: ${difference}${d.notes.length ? ` (${d.notes.join("; ")})` : ""}`;
  }
  return null;
}
