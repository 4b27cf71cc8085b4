/**
 * `npm run bench:agent-reply`: how long an agent's reply takes to reach the visitor's open widget.
 *
 * Serves the production build as `npm run bench` does (`bench/run.ts --serve`: real Postgres, one worker per
 * CPU), opens the widget's event stream for a visitor waiting for a person, then sends agent replies through the
 * public API one after the other and times each from the request's start to its arrival on the stream. With
 * several workers the stream and the reply usually land on different processes, so the cross-process wake-up is
 * measured too. Goal: p95 ≤ 1 s.
 *
 * Flags: --replies N (100)
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { percentile, table } from "./stats";

const root = process.cwd();
const servePath = path.join(root, "bench/results/serve.json");
const GOAL_P95_MS = 1000;
const log = (m: string) => console.log(`[agent-reply] ${m}`);
const argv = process.argv.slice(2);
const replies = Number(argv[argv.indexOf("--replies") + 1] ?? 100) || 100;

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Reads `event: message` payloads off an SSE response as they arrive. */
function messagesOf(res: Response, onMessage: (data: { text: string }) => void): void {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(frame)?.[1];
        const data = /^data: (.+)$/m.exec(frame)?.[1];
        if (event === "message" && data) onMessage(JSON.parse(data));
      }
    }
  })();
}

async function main() {
  rmSync(servePath, { force: true });
  const server = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "bench/run.ts", "--no-build", "--serve", "600"], { stdio: ["ignore", "inherit", "inherit"], detached: true });
  const stop = () => {
    try {
      process.kill(-server.pid!, "SIGINT");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", stop);
  try {
    const serve = await waitFor("the benchmark server (bench/run.ts --serve)", 15 * 60_000, () =>
      existsSync(servePath) ? (JSON.parse(readFileSync(servePath, "utf8")) as { port: number; apiKey: string; databaseUrl: string }) : undefined,
    );
    const base = `http://127.0.0.1:${serve.port}`;
    const { openDb } = await import("@/db/client");
    const handle = openDb({ databaseUrl: serve.databaseUrl, poolSize: 1 });
    const [owner] = (await handle.db.execute(sql`select m.tenant_id as "tenantId", u.email from api_keys k join memberships m on m.tenant_id = k.tenant_id and m.role = 'owner'
      join users u on u.id = m.user_id order by k.created_at desc limit 1`)) as unknown as { tenantId: string; email: string }[];
    const widgetKey = `wk_${randomBytes(12).toString("base64url")}`;
    await handle.db.execute(sql`insert into channels (tenant_id, type, enabled, settings, public_key) values (${owner!.tenantId}::uuid, 'web', true, '{"title":"Bench"}'::jsonb, ${widgetKey})
      on conflict (tenant_id, type) do update set enabled = true, public_key = excluded.public_key`);
    await handle.close();

    // The visitor token the widget gets from its session call authenticates every later call.
    const session = await fetch(`${base}/api/widget/${widgetKey}/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const visitor = { authorization: `Bearer ${((await session.json()) as { data: { visitor_token: string } }).data.visitor_token}` };
    const opened = await fetch(`${base}/api/widget/${widgetKey}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...visitor },
      body: JSON.stringify({ message_id: randomUUID(), text: "I want to talk to a human" }),
    });
    const { data } = (await opened.json()) as { data: { conversation_id: string } };
    const conversationId = data.conversation_id;
    const arrived = new Map<string, number>();
    const stream = new AbortController();
    const res = await fetch(`${base}/api/widget/${widgetKey}/conversations/${conversationId}/events`, { headers: visitor, signal: stream.signal });
    if (res.status !== 200) throw new Error(`widget event stream answered ${res.status}: ${await res.text()}`);
    messagesOf(res, (m) => arrived.set(m.text, performance.now()));

    const latencies: number[] = [];
    for (let i = 1; i <= replies; i++) {
      const text = `Agent reply number ${i}`;
      const sent = performance.now();
      const posted = await fetch(`${base}/api/v2/chat/conversations/${conversationId}/agent-messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${serve.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ text, agent_email: owner!.email }),
      });
      if (posted.status !== 201) throw new Error(`agent reply ${i} answered ${posted.status}: ${await posted.text()}`);
      const at = await waitFor(`reply ${i} on the widget stream`, 10_000, () => arrived.get(text));
      latencies.push(at - sent);
      // Replies are spread out as an agent's are, so each one's wake-up is measured, not a batch's.
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    }
    stream.abort();
    const sorted = [...latencies].sort((a, b) => a - b);
    const result = { replies, p50_ms: percentile(sorted, 50), p95_ms: percentile(sorted, 95), max_ms: sorted.at(-1)!, goal_p95_ms: GOAL_P95_MS, pass: percentile(sorted, 95) <= GOAL_P95_MS };
    console.log(`\n${table([["agent reply -> widget", "replies", "p50 ms", "p95 ms", "max ms"], ["", String(replies), result.p50_ms.toFixed(1), result.p95_ms.toFixed(1), result.max_ms.toFixed(1)]])}`);
    console.log(`\n  ${result.pass ? "PASS" : "FAIL"}  p95 ${result.p95_ms.toFixed(1)} ms (goal <= ${GOAL_P95_MS} ms)`);
    writeFileSync(path.join(root, "bench/results/agent-reply.json"), JSON.stringify({ timestamp: new Date().toISOString(), ...result, latencies_ms: latencies }, null, 2));
    if (!result.pass) process.exitCode = 1;
  } finally {
    stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
