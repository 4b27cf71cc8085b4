import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Kv } from "@/server/cache/kv";
import { createMemoryKv } from "@/server/cache/memory-kv";
import { createRedisKv } from "@/server/cache/redis-kv";
import { ModelCallFailedError, StreamInterruptedError, type LlmRequest, type ModelCallRecord } from "@/server/flows/ports";
import { estimateInputTokens } from "@/server/models/model-cost";
import { budgetKey } from "@/server/models/router/budget";
import type { RouterConnection } from "@/server/models/router/candidates";
import { createModelRouter, type RouterSetup } from "@/server/models/router/router";
import { NO_POLICY, type RoutingPolicy } from "@/server/models/routing-policy";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-server";

let llm: FakeLlmServer;
const kvs: Kv[] = [];
beforeAll(async () => {
  llm = await startFakeLlmServer();
});
afterAll(async () => {
  await llm.close();
  await Promise.all(kvs.map((k) => k.close()));
});
beforeEach(() => llm.reset());

const openai = (): RouterConnection => ({ id: randomUUID(), provider: "openai", model: "gpt-4o-mini", models: ["gpt-4o"], baseUrl: llm.baseUrl, apiKey: `sk-${randomUUID()}`, keyInvalid: false });
const anthropic = (): RouterConnection => ({ id: randomUUID(), provider: "anthropic", model: "claude-haiku-4-5", models: [], baseUrl: llm.anthropicBaseUrl, apiKey: `sk-ant-${randomUUID()}`, keyInvalid: false });

function router(connections: RouterConnection[], over: Partial<RouterSetup> & { policy?: RoutingPolicy } = {}) {
  return createModelRouter({ tenantId: randomUUID(), connections, policy: NO_POLICY, tenantPrices: new Map(), monthSpend: () => ({ month: "2000-01-01", spentCents: 0 }), kv: createMemoryKv(), allowedHosts: [llm.host], ...over });
}
const ask = (extra: Partial<LlmRequest> = {}): LlmRequest => ({ system_prompt: "You are the shop's assistant.", prompt: "Do you ship abroad?", slots: {}, timeout_ms: 5000, ...extra });
async function failure(p: Promise<unknown>): Promise<ModelCallFailedError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelCallFailedError);
  return error as ModelCallFailedError;
}
const classes = (call: ModelCallRecord) => call.attempts.map((a) => `${a.provider}:${a.model} ${a.error_class}`);

describe("fallback", () => {
  it("falls back to Anthropic when OpenAI answers 429, recording both attempts with their classes and latencies", async () => {
    llm.script("openai", { kind: "status", status: 429 });
    const answer = await router([openai(), anthropic()]).generate(ask());
    expect(answer.text).toBe("Returns are free within 30 days.");
    const call = answer.call!;
    expect(call).toMatchObject({ status: "ok", provider: "anthropic", model: "claude-haiku-4-5", fallback_applied: true, input_tokens: 40, output_tokens: 9, cost_cents: (40 * 100 + 9 * 500) / 1e6, price_table_version: "2026-11-01" });
    expect(call.attempts.map((a) => [a.provider, a.error_class, a.http_status])).toEqual([
      ["openai", "rate_limited", 429],
      ["anthropic", null, 200],
    ]);
    expect(call.attempts.every((a) => a.latency_ms >= 0 && a.latency_ms < 5000)).toBe(true);
    expect(call.latency_ms).toBeGreaterThanOrEqual(call.attempts[0]!.latency_ms + call.attempts[1]!.latency_ms);
    expect(llm.seen.map((s) => s.path)).toEqual(["/v1/chat/completions", "/v1/messages"]);
  });

  it("falls back when a stream is cut before its first token, and streams the next model's tokens as they come", async () => {
    llm.script("openai", { kind: "cut_before_first_token" });
    llm.script("anthropic", { kind: "text", text: "We ship to forty countries.", chunks: 3, chunk_delay_ms: 20 });
    const tokens: string[] = [];
    const arrived: number[] = [];
    const answer = await router([openai(), anthropic()]).generate(ask({ on_token: (d) => tokens.push(d) && arrived.push(performance.now()) }));
    expect(tokens).toEqual(["We ship ", "to forty ", "countries."]);
    // Each token as the provider sent it (20 ms apart), not the whole body at its end: the transport streams.
    expect(arrived.at(-1)! - arrived[0]!).toBeGreaterThanOrEqual(30);
    expect(answer.text).toBe("We ship to forty countries.");
    expect(classes(answer.call!)).toEqual(["openai:gpt-4o-mini stream_cut", "anthropic:claude-haiku-4-5 null"]);
    expect(answer.call!.ttft_ms).toBeGreaterThanOrEqual(15);
    expect(llm.seen.map((s) => s.stream)).toEqual([true, true]);
  });

  it("ends with StreamInterruptedError carrying the partial text when a stream breaks after its first token, asking no other model", async () => {
    llm.script("openai", { kind: "cut_after", chunks: 2, text: "We ship to forty countries in three to seven days." });
    const tokens: string[] = [];
    const error = await failure(router([openai(), anthropic()]).generate(ask({ on_token: (d) => tokens.push(d) })));
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).partialText).toBe(tokens.join(""));
    expect(tokens.join("")).toMatch(/^We ship/);
    expect(error.call).toMatchObject({ status: "stream_interrupted", provider: "openai", fallback_applied: false });
    expect(error.call.reason).toMatch(/cut off/);
    expect(llm.seen.map((s) => s.path)).toEqual(["/v1/chat/completions"]);
  });

  it("gives each try what is left of one deadline, so timeouts do not stack", async () => {
    llm.script("openai", { kind: "hang" });
    llm.script("anthropic", { kind: "hang" });
    const started = performance.now();
    const error = await failure(router([openai(), anthropic()], { attemptTimeoutMs: 600 }).generate(ask({ timeout_ms: 900 })));
    const took = performance.now() - started;
    expect(classes(error.call)).toEqual(["openai:gpt-4o-mini timeout", "anthropic:claude-haiku-4-5 timeout"]);
    expect(error.call.attempts[0]!.latency_ms).toBeGreaterThanOrEqual(550);
    expect(error.call.attempts[1]!.latency_ms).toBeLessThan(450);
    expect(took).toBeLessThan(1400);
  });
});

describe("cost", () => {
  it("skips a candidate whose worst case is over max_cost_cents and answers with the cheaper model after it", async () => {
    // 400 output tokens of gpt-4o cost 0.4¢ at most, of gpt-4o-mini 0.024¢: a 0.1¢ cap leaves only the mini.
    const policy = { ...NO_POLICY, chain: ["openai:gpt-4o", "openai:gpt-4o-mini"], max_cost_cents: 0.1 };
    const answer = await router([openai()], { policy }).generate(ask());
    expect(answer.call).toMatchObject({ status: "ok", model: "gpt-4o-mini", fallback_applied: true });
    expect(answer.call!.attempts[0]).toMatchObject({ model: "gpt-4o", error_class: "skipped_cost", message: expect.stringMatching(/over the 0\.1¢ cap per request$/) });
    expect(llm.seen.map((s) => s.body.model)).toEqual(["gpt-4o-mini"]);
  });

  it("refuses a model with no price, in plain words, unless the tenant priced it", async () => {
    const local: RouterConnection = { ...openai(), provider: "openai_compatible", model: "llama-3" };
    const error = await failure(router([local]).generate(ask()));
    expect(error.call).toMatchObject({ status: "unpriced", reason: "llama-3 has no price; set its prices on the AI models page" });
    expect(llm.seen).toHaveLength(0);
    const priced = await router([local], { tenantPrices: new Map([["openai_compatible:llama-3", { input_cents_per_mtok: 1, output_cents_per_mtok: 2 }]]) }).generate(ask());
    expect(priced.call).toMatchObject({ status: "ok", provider: "openai_compatible", cost_cents: (42 * 1 + 12 * 2) / 1e6 });
  });
});

const backends: [string, () => Kv][] = [["memory", createMemoryKv]];
if (process.env.REDIS_URL) backends.push(["Redis", () => createRedisKv(process.env.REDIS_URL!)]);

describe.each(backends)("the monthly budget and the breaker on the %s Kv", (_name, makeKv) => {
  const kv = () => {
    const k = makeKv();
    kvs.push(k);
    return k;
  };

  it("lets exactly 10 of 50 concurrent calls reach the model when the budget fits 10 worst cases", async () => {
    const req = ask({ max_tokens: 100 });
    const inputTokens = estimateInputTokens([req.system_prompt, req.prompt]);
    // The fake provider reports the worst case as its usage, so settling changes nothing.
    for (let i = 0; i < 50; i++) llm.script("openai", { kind: "text", text: "Yes, worldwide.", usage: { input_tokens: inputTokens, output_tokens: 100 }, chunk_delay_ms: 0 });
    const worstCents = (inputTokens * 15 + 100 * 60) / 1e6;
    const shared = kv();
    const month = new Date().toISOString().slice(0, 7) + "-01";
    // Two routers on one Kv, as two processes on one Redis; the month had 0.5¢ spent before.
    const setup = { policy: { ...NO_POLICY, monthly_budget_cents: 0.5 + 10 * worstCents }, kv: shared, monthSpend: () => ({ month, spentCents: 0.5 }), tenantId: randomUUID() };
    const connection = openai();
    const [a, b] = [router([connection], setup), router([connection], setup)];
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).generate(req)));
    const answered = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as ModelCallFailedError] : []));
    expect([answered.length, refused.length, llm.seen.length]).toEqual([10, 40, 10]);
    expect(new Set(refused.map((e) => e.call.status))).toEqual(new Set(["budget_exhausted"]));
    expect(refused[0]!.call.reason).toMatch(/^This month's model budget \([\d.]+¢\) is spent/);
    expect(Number(await shared.get(budgetKey(setup.tenantId, month)))).toBe(Math.round((0.5 + 10 * worstCents) * 1e6));
  });

  it("settles a reservation to the call's actual cost, and gives a failed call's reservation back", async () => {
    const shared = kv();
    const tenantId = randomUUID();
    const month = `${new Date().toISOString().slice(0, 7)}-01`;
    const budgeted = router([openai()], { kv: shared, tenantId, policy: { ...NO_POLICY, monthly_budget_cents: 10 }, monthSpend: () => ({ month, spentCents: 1 }) });
    llm.script("openai", { kind: "status", status: 500 });
    await failure(budgeted.generate(ask()));
    expect(await shared.get(budgetKey(tenantId, month))).toBe(String(1_000_000));
    llm.script("openai", { kind: "text", text: "Yes.", usage: { input_tokens: 42, output_tokens: 12 } });
    const answer = await budgeted.generate(ask());
    // gpt-4o-mini: 15¢ in and 60¢ out per million tokens, counted in micro-cents.
    expect(answer.call!.cost_cents).toBe((42 * 15 + 12 * 60) / 1e6);
    expect(await shared.get(budgetKey(tenantId, month))).toBe(String(1_000_000 + 42 * 15 + 12 * 60));
  });

  it("opens the circuit after 5 failures (no request reaches the provider while open) and closes it after the cooldown's probe", async () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const setup = { kv: kv(), clock: () => now, breaker: { threshold: 5, cooldownMs: 30_000 }, tenantId: randomUUID() };
    const connection = openai();
    const [first, second] = [router([connection], setup), router([connection], setup)];
    for (let i = 0; i < 5; i++) llm.script("openai", { kind: "status", status: 500 });
    for (let i = 0; i < 5; i++) expect(classes((await failure((i % 2 ? first : second).generate(ask()))).call)).toEqual(["openai:gpt-4o-mini server_error"]);
    expect(llm.seen).toHaveLength(5);

    const open = await failure(second.generate(ask()));
    expect(open.call.attempts[0]).toMatchObject({ error_class: "circuit_open", message: "Circuit open after repeated failures; next try in 30 s" });
    now += 29_000;
    expect((await failure(first.generate(ask()))).call.attempts[0]!.error_class).toBe("circuit_open");
    expect(llm.seen).toHaveLength(5);

    now += 2_000;
    const probe = await first.generate(ask());
    expect(probe.call!.status).toBe("ok");
    expect((await second.generate(ask())).call!.status).toBe("ok");
    expect(llm.seen).toHaveLength(7);
  });

  it("marks a refused key invalid without retrying it: the call goes on to the next model, and later calls in any process skip it", async () => {
    const shared = kv();
    const refusedConn = openai();
    const tenantId = randomUUID();
    llm.script("openai", { kind: "status", status: 401 });
    const answer = await router([refusedConn, anthropic()], { kv: shared, tenantId }).generate(ask());
    expect(answer.call).toMatchObject({ status: "ok", provider: "anthropic", invalid_keys: [{ connection_id: refusedConn.id, reason: expect.stringMatching(/^The provider refused the key \(401\)/) }] });
    expect(classes(answer.call!)).toEqual(["openai:gpt-4o-mini unauthorized", "anthropic:claude-haiku-4-5 null"]);

    // Another process (a new router on the same Kv) does not try the refused key.
    const other = await router([refusedConn, anthropic()], { kv: shared, tenantId }).generate(ask());
    expect(other.call!.attempts[0]).toMatchObject({ error_class: "unauthorized", latency_ms: 0 });
    expect(llm.seen.filter((s) => s.path === "/v1/chat/completions")).toHaveLength(1);

    // A replaced key is a new key: tried again.
    const replaced = await router([{ ...refusedConn, apiKey: "sk-new-key" }], { kv: shared, tenantId }).generate(ask());
    expect(replaced.call).toMatchObject({ status: "ok", provider: "openai", fallback_applied: false });
  });
});
