type Ordered = { id: string; at: string } & ({ kind: "message"; sequence: number } | { kind: "event" });

/** By time; at the same instant messages come first (a turn's event is written with its messages), then by sequence. */
export function byTranscriptOrder(a: Ordered, b: Ordered): number {
  const rank = (e: Ordered) => (e.kind === "message" ? 0 : 1);
  return a.at.localeCompare(b.at) || rank(a) - rank(b) || (a.kind === "message" && b.kind === "message" ? a.sequence - b.sequence : 0);
}

/** `current` plus the entries of `added` it does not have (by id), in transcript order; the browser merges live entries with this too. */
export function mergeEntries<T extends Ordered>(current: T[], added: T[]): T[] {
  const known = new Set(current.map((e) => e.id));
  const fresh = added.filter((e) => !known.has(e.id));
  return fresh.length ? [...current, ...fresh].sort(byTranscriptOrder) : current;
}
