/**
 * `npx tsx bench/stream-latency.ts`: how long a model's token takes to reach the widget's event stream.
 *
 * A fake OpenAI-compatible provider on loopback streams each answer's tokens a few milliseconds apart and notes
 * when it wrote each one; the widget's POST /api/widget/{key}/messages is asked with `Accept: text/event-stream`
 * for a tenant whose model (connected through the real router and SSRF-guarded fetch) is that provider, and each
 * `token` event is timed on arrival. Per token: arrival minus write, on this process's clock. Goal: p95 <= 15 ms.
 *
 * Run directly, the route handler runs in this process (on PGlite, or DATABASE_URL). bench/run.ts can call
 * `measureStreamLatency({ served })` against its production server instead, which must then admit the
 * provider's port in OUTBOUND_ALLOWED_HOSTS (pass the same `providerPort`).
 *
 * Flags: --turns N (40)  --tokens N (10 per answer)  --gap MS (10, between tokens)
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStreamingProvider } from "./stream-provider";
import { percentile, table } from "./stats";

export const STREAM_GOAL_P95_MS = 15;
const SITE = "https://bench-shop.example";
const FLOW = {
  name: "bench-stream",
  version: "1.0",
  initial_state: "answer",
  states: { answer: { type: "llm", config: { system_prompt: "You answer for a shop.", fallback_template: "Sorry." }, transitions: [{ condition: "any_input", target_state: "answer" }] } },
};

export type StreamLatencyResult = { turns: number; tokens: number; p50_ms: number; p95_ms: number; max_ms: number; goal_p95_ms: number; pass: boolean; note?: string };

const now = () => performance.timeOrigin + performance.now();

/** One streamed turn: arrival time of each `token` event, and the `done` envelope's presence. */
async function streamedTurn(res: Response): Promise<{ arrivals: number[]; done: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const arrivals: number[] = [];
  let buffer = "";
  let done = false;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return { arrivals, done };
    const at = now();
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = /^event: (.+)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (event === "token") arrivals.push(at);
      if (event === "done") done = true;
    }
  }
}

export type StreamLatencyOptions = {
  turns?: number;
  tokens?: number;
  gapMs?: number;
  log?: (m: string) => void;
  /** A running production server and its database, instead of the route handler in this process. */
  served?: { baseUrl: string; databaseUrl: string };
  /** The fake provider's port (0: any free one); a served app must admit 127.0.0.1:<port>. */
  providerPort?: number;
};

export async function measureStreamLatency(opts: StreamLatencyOptions = {}): Promise<StreamLatencyResult> {
  const turns = opts.turns ?? 40;
  const tokens = opts.tokens ?? 10;
  const gapMs = opts.gapMs ?? 10;
  const log = opts.log ?? ((m: string) => console.log(`[stream-latency] ${m}`));
  const provider = await startStreamingProvider(opts.providerPort ?? 0);
  // The server modules read their environment once, so it is set before they load.
  process.env.OUTBOUND_ALLOWED_HOSTS = [process.env.OUTBOUND_ALLOWED_HOSTS, provider.host].filter(Boolean).join(",");
  process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef0123456789abcdef";
  process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");
  const { openDb } = await import("@/db/client");
  const { installDbHandle } = await import("@/server/db");
  const { createTenantWithOwner } = await import("@/server/tenants/tenant-service");
  const { createFlow, publishFlow } = await import("@/server/flow-store/flow-service");
  const { upsertChannel } = await import("@/server/channels/channel-service");
  const { setProviderConnection } = await import("@/server/models/model-connections");
  const { served } = opts;
  const databaseUrl = served?.databaseUrl ?? process.env.DATABASE_URL;
  const handle = databaseUrl ? openDb({ databaseUrl, poolSize: 4 }) : openDb({ pgliteDir: "memory://" });
  const call = async (key: string, route: "messages" | "session", init: RequestInit): Promise<Response> => {
    if (served) return fetch(`${served.baseUrl}/api/widget/${key}/${route}`, init);
    const { POST } = route === "messages" ? await import("@/app/api/widget/[key]/messages/route") : await import("@/app/api/widget/[key]/session/route");
    return POST(new Request(`http://localhost/api/widget/${key}/${route}`, init), { params: Promise.resolve({ key }) });
  };
  const post = (key: string, init: RequestInit) => call(key, "messages", init);
  /** A new visitor's token, as the widget gets it on load. */
  const visitorToken = async (key: string) => {
    const res = await call(key, "session", { method: "POST", headers: { "content-type": "application/json", origin: SITE }, body: "{}" });
    return ((await res.json()) as { data: { visitor_token: string } }).data.visitor_token;
  };
  try {
    // A served app has migrated its database and reads it itself.
    if (!served) {
      await handle.migrate();
      installDbHandle(handle);
    }
    const runId = randomUUID().slice(0, 8);
    const { tenant } = await createTenantWithOwner(handle.db, { companyName: `Stream bench ${runId}`, email: `stream-${runId}@bench.test`, passwordHash: "unused", plan: "enterprise", verified: true });
    const flow = await createFlow(handle.db, tenant.id, null, { name: "bench-stream", definition: FLOW });
    await publishFlow(handle.db, tenant.id, null, flow.id);
    const channel = await upsertChannel(handle.db, tenant.id, null, { type: "web", enabled: true, settings: { allowed_origins: [SITE] }, secrets: {} });
    await setProviderConnection(handle.db, tenant.id, { provider: "openai", apiKey: "sk-bench-stream", baseUrl: provider.baseUrl, models: ["gpt-4o-mini"] });
    const key = channel.publicKey!;

    const latencies: number[] = [];
    let streamedTurns = 0;
    // The first turn warms up module loading, the router's cache and the pools; it is not recorded.
    for (let turn = 0; turn <= turns; turn++) {
      provider.sentAt.length = 0;
      provider.script({ deltas: Array.from({ length: tokens }, (_, i) => `word${i} `), gapMs });
      const res = await post(key, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", origin: SITE, authorization: `Bearer ${await visitorToken(key)}` },
        body: JSON.stringify({ text: "Tell me about your tents" }),
      });
      if (!(res.headers.get("content-type") ?? "").startsWith("text/event-stream")) throw new Error(`turn ${turn} was not streamed: ${res.status} ${await res.text()}`);
      const { arrivals, done } = await streamedTurn(res);
      if (!done) throw new Error(`turn ${turn} ended without its done event`);
      if (arrivals.length === 0) continue;
      streamedTurns++;
      if (arrivals.length !== provider.sentAt.length) throw new Error(`turn ${turn}: the provider wrote ${provider.sentAt.length} tokens, the widget stream carried ${arrivals.length}`);
      if (turn > 0) arrivals.forEach((at, i) => latencies.push(at - provider.sentAt[i]!));
    }
    if (latencies.length === 0) {
      log("no token events reached the widget stream: the model router does not stream yet (LlmRequest.on_token)");
      return { turns, tokens: 0, p50_ms: 0, p95_ms: 0, max_ms: 0, goal_p95_ms: STREAM_GOAL_P95_MS, pass: false, note: "router does not stream" };
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    log(`${streamedTurns} streamed turns, ${latencies.length} tokens measured`);
    return { turns, tokens: latencies.length, p50_ms: percentile(sorted, 50), p95_ms: p95, max_ms: sorted.at(-1)!, goal_p95_ms: STREAM_GOAL_P95_MS, pass: p95 <= STREAM_GOAL_P95_MS };
  } finally {
    await handle.close();
    await provider.close();
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const flag = (name: string) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : undefined);
  const result = await measureStreamLatency({ turns: flag("turns"), tokens: flag("tokens"), gapMs: flag("gap") });
  console.log(`\n${table([["provider token -> widget SSE", "tokens", "p50 ms", "p95 ms", "max ms"], ["", String(result.tokens), result.p50_ms.toFixed(2), result.p95_ms.toFixed(2), result.max_ms.toFixed(2)]])}`);
  console.log(`\n  ${result.pass ? "PASS" : "FAIL"}  p95 ${result.p95_ms.toFixed(2)} ms (goal <= ${STREAM_GOAL_P95_MS} ms)${result.note ? ` -- ${result.note}` : ""}`);
  const dir = path.join(process.cwd(), "bench/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "stream-latency.json"), `${JSON.stringify({ timestamp: new Date().toISOString(), ...result }, null, 2)}\n`);
  if (!result.pass) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
