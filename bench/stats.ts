/** Latency/throughput summary of one measured phase. */
export type Summary = {
  target: string;
  requests: number;
  errors: number;
  duration_s: number;
  throughput_rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  mean_ms: number;
  max_ms: number;
  /** Mean of the server's own `meta.processing_time_ms` (time inside the route handler). */
  server_mean_ms: number | null;
  error_kinds: Record<string, number>;
  unexpected_replies: number;
  unexpected_examples: string[];
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export function summarize(target: string, latencies: number[], serverMs: number[], errors: number, durationMs: number, errorKinds: Record<string, number>, unexpected: number, unexpectedExamples: string[]): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
  return {
    target,
    requests: sorted.length + errors,
    errors,
    duration_s: round(durationMs / 1000, 2),
    throughput_rps: round(sorted.length / (durationMs / 1000)),
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    mean_ms: round(mean),
    max_ms: round(sorted[sorted.length - 1] ?? 0),
    server_mean_ms: serverMs.length ? round(serverMs.reduce((a, b) => a + b, 0) / serverMs.length) : null,
    error_kinds: errorKinds,
    unexpected_replies: unexpected,
    unexpected_examples: unexpectedExamples,
  };
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}
