import { table, type Summary } from "./stats";
import type { StreamLatencyResult } from "./stream-latency";
import type { WhatsappEndToEnd } from "./whatsapp-load";
import type { WidgetPaintResult } from "./widget-paint";

/** One figure of the run: its value, the baseline it is compared with in the same run (if any), and its goal. */
export type Figure = { name: string; value: number; unit: string; baseline: { name: string; value: number } | null; ratio: number | null; goal: string | null; pass: boolean | null };

type Goals = { minFirstMessageRatio: number; maxP95Ms: number; maxErrors: number };
type Inputs = {
  first?: Summary;
  chat?: Summary;
  bare?: Summary;
  floor?: Summary;
  endToEnd: WhatsappEndToEnd | null;
  ack: Summary | null;
  streamed: StreamLatencyResult;
  router: { p50_ms: number; p99_ms: number; direct_p50_ms: number; goals: { p50_ms: number; p99_ms: number } };
  widget: WidgetPaintResult;
};

export const WHATSAPP_GOALS = { maxAckP95Ms: 30, minEndToEndRatio: 0.7 };
/** The widget's size budgets (gzipped): the loader, and everything the open chat needs. */
const WIDGET_BUDGETS = { loaderBytes: 6 * 1024, chatBytes: 40 * 1024 };

const ratioOf = (value: number, baseline: number) => (baseline > 0 ? Math.round((value / baseline) * 1000) / 1000 : null);

function figure(name: string, value: number, unit: string, baseline: Figure["baseline"], goal: { text: string; met: (value: number, ratio: number | null) => boolean } | null): Figure {
  const ratio = baseline ? ratioOf(value, baseline.value) : null;
  return { name, value, unit, baseline, ratio, goal: goal?.text ?? null, pass: goal ? goal.met(value, ratio) : null };
}

/** Every figure of the run against its same-run baseline, with the issue's goals. */
export function benchFigures(r: Inputs, goals: Goals): Figure[] {
  const out: Figure[] = [];
  const bareRps = r.bare && { name: "bare req/s", value: r.bare.throughput_rps };
  const bareP95 = r.bare && { name: "bare p95 ms", value: r.bare.p95_ms };
  if (r.first) {
    out.push(figure("first_message req/s", r.first.throughput_rps, "req/s", bareRps ?? null, { text: `>= ${goals.minFirstMessageRatio} of bare`, met: (_v, ratio) => ratio !== null && ratio >= goals.minFirstMessageRatio }));
    out.push(figure("first_message p95", r.first.p95_ms, "ms", bareP95 ?? null, { text: `<= ${goals.maxP95Ms} ms`, met: (v) => v <= goals.maxP95Ms }));
  }
  if (r.chat) {
    out.push(figure("chat (multi-turn) req/s", r.chat.throughput_rps, "req/s", bareRps ?? null, null));
    out.push(figure("chat (multi-turn) p95", r.chat.p95_ms, "ms", bareP95 ?? null, null));
  }
  const floorP95 = r.floor && { name: "floor p95 ms", value: r.floor.p95_ms };
  if (r.floor) {
    out.push(figure("framework floor req/s", r.floor.throughput_rps, "req/s", bareRps ?? null, null));
    out.push(figure("framework floor p95", r.floor.p95_ms, "ms", null, null));
  }
  for (const s of [r.first, r.chat, r.bare, r.floor]) if (s) out.push(figure(`${s.target} errors`, s.errors, "", null, { text: `<= ${goals.maxErrors}`, met: (v) => v <= goals.maxErrors }));
  if (r.ack) {
    out.push(figure("whatsapp webhook ack p95", r.ack.p95_ms, "ms", floorP95 ?? bareP95 ?? null, { text: `<= ${WHATSAPP_GOALS.maxAckP95Ms} ms`, met: (v) => v <= WHATSAPP_GOALS.maxAckP95Ms }));
    out.push(figure("whatsapp webhook ack errors", r.ack.errors, "", null, { text: "0", met: (v) => v === 0 }));
  }
  if (r.endToEnd) {
    const firstRps = r.first && { name: "first_message req/s", value: r.first.throughput_rps };
    out.push(figure("whatsapp end-to-end messages/s", r.endToEnd.throughput_rps, "msg/s", firstRps ?? null, { text: `>= ${WHATSAPP_GOALS.minEndToEndRatio} of first_message`, met: (_v, ratio) => ratio !== null && ratio >= WHATSAPP_GOALS.minEndToEndRatio }));
    for (const k of ["lost", "duplicated", "reordered"] as const) out.push(figure(`whatsapp replies ${k}`, r.endToEnd.replies[k], "", null, { text: "0", met: (v) => v === 0 }));
    out.push(figure("whatsapp webhook errors", r.endToEnd.errors, "", null, { text: "0", met: (v) => v === 0 }));
  }
  out.push(figure("stream token p95", r.streamed.p95_ms, "ms", null, { text: `<= ${r.streamed.goal_p95_ms} ms`, met: () => r.streamed.pass }));
  out.push(figure("router overhead p50", r.router.p50_ms, "ms", null, { text: `<= ${r.router.goals.p50_ms} ms`, met: (v) => v <= r.router.goals.p50_ms }));
  out.push(figure("router overhead p99", r.router.p99_ms, "ms", null, { text: `<= ${r.router.goals.p99_ms} ms`, met: (v) => v <= r.router.goals.p99_ms }));
  const w = r.widget;
  out.push(figure("widget launcher paint p95", w.paint_ms_p95, "ms", null, { text: `<= ${w.goal_p95_ms} ms`, met: (v) => v <= w.goal_p95_ms }));
  out.push(figure("widget loader gzipped", w.loader_gzip_bytes, "B", null, { text: `<= ${WIDGET_BUDGETS.loaderBytes} B`, met: (v) => v <= WIDGET_BUDGETS.loaderBytes }));
  out.push(figure("widget chat gzipped", w.chat_gzip_bytes, "B", null, { text: `<= ${WIDGET_BUDGETS.chatBytes} B`, met: (v) => v <= WIDGET_BUDGETS.chatBytes }));
  return out;
}

export function figuresTable(figures: Figure[]): string {
  const rows = [["", "figure", "value", "baseline (same run)", "ratio", "goal"]];
  for (const f of figures) {
    rows.push([f.pass === null ? "    " : f.pass ? "PASS" : "FAIL", f.name, `${f.value}${f.unit && f.unit !== "req/s" && f.unit !== "msg/s" ? ` ${f.unit}` : ""}`, f.baseline ? `${f.baseline.name} ${f.baseline.value}` : "-", f.ratio === null ? "-" : f.ratio.toFixed(3), f.goal ?? "(information)"]);
  }
  return table(rows);
}
