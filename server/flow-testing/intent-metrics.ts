/** A turn's expected intent (as the stored conversation classified it) and the one the tested version gives. */
export type IntentPair = { expected: string | null; actual: string | null };

export type IntentMetric = { intent: string; precision: number; recall: number; f1: number; support: number };

/** A metric row beside the previous version's F1 (null where that version never saw or gave the intent). */
export type IntentMetricRow = IntentMetric & { previous_f1: number | null };

const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Per-intent precision, recall and F1 over the turns. "No intent" is not a class of its own, but a turn that
 * expected none and got one counts against that intent's precision, and the reverse against its recall.
 */
export function intentMetrics(pairs: IntentPair[]): IntentMetric[] {
  const names = [...new Set(pairs.flatMap((p) => [p.expected, p.actual]).filter((n): n is string => n !== null))].sort();
  return names.map((intent) => {
    const tp = pairs.filter((p) => p.expected === intent && p.actual === intent).length;
    const predicted = pairs.filter((p) => p.actual === intent).length;
    const support = pairs.filter((p) => p.expected === intent).length;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { intent, precision: round(precision), recall: round(recall), f1: round(ratio(2 * precision * recall, precision + recall)), support };
  });
}

export function withPrevious(current: IntentMetric[], previous: IntentMetric[] | null): IntentMetricRow[] {
  const before = new Map((previous ?? []).map((m) => [m.intent, m.f1]));
  return current.map((m) => ({ ...m, previous_f1: before.get(m.intent) ?? null }));
}
