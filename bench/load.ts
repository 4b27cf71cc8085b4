import { randomUUID } from "node:crypto";
import { KeepAliveConnection, type Reply } from "./http-client";
import { pickScenario, prng, type Scenario, type Turn } from "./scenarios";
import { percentile, summarize, type Summary } from "./stats";

export type LoadOptions = {
  target: string;
  port: number;
  path: string;
  /** The conversations each virtual client runs, weighted. */
  scenarios: Scenario[];
  /** Whether the answers are the chat API's envelope, whose bot replies are checked against each turn's `expect`. */
  checkReplies: boolean;
  apiKey: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  maxRequests: number;
  requestTimeoutMs: number;
  seed: number;
  runId: string;
  /** Extra request headers (e.g. for experiments). */
  headers?: Record<string, string>;
};

type Envelope = { data?: { conversation_id?: string; response?: { type?: string; text?: string } }; meta?: { processing_time_ms?: number }; error?: { code?: string } };

/**
 * Closed loop: `connections` virtual clients, each running weighted scenario scripts back to back as
 * conversations (a new user_id each, conversation_id from the first reply). A warm-up phase is not
 * recorded; the measured phase counts requests that complete inside it and ends at durationMs or
 * maxRequests, whichever comes first.
 */
/** Raw samples of one measured phase, so several rounds can be merged. */
export type Samples = {
  latencies: number[];
  serverMs: number[];
  errors: number;
  durationMs: number;
  errorKinds: Record<string, number>;
  unexpected: number;
  unexpectedExamples: string[];
  scenarios: Record<string, number>;
  /** Latencies by scenario turn ("product_search #3"), to see which kinds of turn make the tail. */
  byTurn: Record<string, number[]>;
};

export type TurnStats = Record<string, { requests: number; p50_ms: number; p95_ms: number }>;

export function mergeSamples(target: string, all: Samples[]): Summary & { scenarios_started: Record<string, number>; by_turn: TurnStats } {
  const kinds: Record<string, number> = {};
  const scenarios: Record<string, number> = {};
  for (const s of all) {
    for (const [k, v] of Object.entries(s.errorKinds)) kinds[k] = (kinds[k] ?? 0) + v;
    for (const [k, v] of Object.entries(s.scenarios)) scenarios[k] = (scenarios[k] ?? 0) + v;
  }
  const summary = summarize(
    target,
    all.flatMap((s) => s.latencies),
    all.flatMap((s) => s.serverMs),
    all.reduce((n, s) => n + s.errors, 0),
    all.reduce((n, s) => n + s.durationMs, 0),
    kinds,
    all.reduce((n, s) => n + s.unexpected, 0),
    all.flatMap((s) => s.unexpectedExamples).slice(0, 5),
  );
  const turns = new Map<string, number[]>();
  for (const s of all) for (const [k, v] of Object.entries(s.byTurn)) turns.set(k, [...(turns.get(k) ?? []), ...v]);
  const by_turn: TurnStats = {};
  for (const [k, v] of [...turns].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = v.sort((a, b) => a - b);
    by_turn[k] = { requests: sorted.length, p50_ms: Math.round(percentile(sorted, 50)), p95_ms: Math.round(percentile(sorted, 95)) };
  }
  return Object.assign(summary, { scenarios_started: scenarios, by_turn });
}

export async function runLoad(o: LoadOptions, log: (msg: string) => void = () => {}): Promise<Summary & { scenarios_started: Record<string, number>; samples: Samples }> {
  const connections: KeepAliveConnection[] = [];
  const latencies: number[] = [];
  const serverMs: number[] = [];
  const errorKinds: Record<string, number> = {};
  const unexpectedExamples: string[] = [];
  let errors = 0;
  let unexpected = 0;
  let phase: "warmup" | "measure" | "done" = "warmup";
  let measureStart = 0;
  let measureEnd = 0;
  let conversationSeq = 0;
  const done = () => phase === "done";
  const scenarioCounts: Record<string, number> = {};
  const byTurn: Record<string, number[]> = {};

  const recordError = (kind: string) => {
    if (phase !== "measure") return;
    errors++;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    if (latencies.length + errors >= o.maxRequests) finish();
  };
  let finishResolve: () => void = () => {};
  const finished = new Promise<void>((r) => (finishResolve = r));
  function finish() {
    if (phase !== "measure") return;
    phase = "done";
    measureEnd = performance.now();
    finishResolve();
  }

  async function client(index: number) {
    const rand = prng(o.seed * 1000 + index);
    const connection = new KeepAliveConnection(o.port);
    connections.push(connection);
    const headers = { ...o.headers, authorization: `Bearer ${o.apiKey}`, "content-type": "application/json" };
    while (!done()) {
      const scenario = pickScenario(o.scenarios, rand);
      const turns: Turn[] = scenario.turns(rand);
      const userId = `bench-${o.runId}-${o.target}-${index}-${conversationSeq++}`;
      let conversationId: string | undefined;
      if (phase === "measure") scenarioCounts[scenario.name] = (scenarioCounts[scenario.name] ?? 0) + 1;
      for (const [turnIndex, turn] of turns.entries()) {
        if (done()) return;
        const payload = JSON.stringify({ message_id: randomUUID(), conversation_id: conversationId, user_id: userId, channel: "web", content: { type: "text", text: turn.text } });
        const startedIn = phase;
        const t0 = performance.now();
        let reply: Reply;
        try {
          reply = await connection.post(o.path, headers, payload, o.requestTimeoutMs);
        } catch (e) {
          if (startedIn === "measure") recordError(`socket: ${(e as Error).message.slice(0, 80)}`);
          break; // abandon this conversation
        }
        const ms = performance.now() - t0;
        let env: Envelope = {};
        try {
          env = JSON.parse(reply.body) as Envelope;
        } catch {
          // leave empty; counted below if non-2xx
        }
        if (reply.status < 200 || reply.status >= 300) {
          if (startedIn === "measure") recordError(`HTTP ${reply.status}${env.error?.code ? ` ${env.error.code}` : ""}`);
          break;
        }
        if (startedIn === "measure" && phase === "measure") {
          latencies.push(ms);
          (byTurn[`${scenario.name} #${turnIndex + 1}`] ??= []).push(ms);
          if (typeof env.meta?.processing_time_ms === "number") serverMs.push(env.meta.processing_time_ms);
          const r = env.data?.response;
          const ok = (!turn.expect || (r?.text ?? "").includes(turn.expect)) && (!turn.expectType || r?.type === turn.expectType);
          if (o.checkReplies && !ok) {
            unexpected++;
            if (unexpectedExamples.length < 5) unexpectedExamples.push(`${scenario.name} "${turn.text}" -> ${r?.type}: ${(r?.text ?? "").slice(0, 100)}`);
          }
          if (latencies.length + errors >= o.maxRequests) finish();
        }
        conversationId ??= env.data?.conversation_id;
      }
    }
  }

  const clients = Array.from({ length: o.connections }, (_, i) => client(i));
  log(`[${o.target}] warm-up ${o.warmupMs / 1000}s with ${o.connections} connections`);
  await new Promise((r) => setTimeout(r, o.warmupMs));
  phase = "measure";
  measureStart = performance.now();
  log(`[${o.target}] measuring up to ${o.durationMs / 1000}s / ${o.maxRequests} requests`);
  const timer = setTimeout(finish, o.durationMs);
  await finished;
  clearTimeout(timer);
  // Drain in-flight requests (not counted), bounded in time.
  await Promise.race([Promise.allSettled(clients), new Promise((r) => setTimeout(r, o.requestTimeoutMs + 1000))]);
  for (const c of connections) c.close();
  const samples: Samples = { latencies, serverMs, errors, durationMs: measureEnd - measureStart, errorKinds, unexpected, unexpectedExamples, scenarios: scenarioCounts, byTurn };
  return Object.assign(mergeSamples(o.target, [samples]), { samples });
}
