import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer, type FakeProvider } from "../helpers/fake-llm-server";

// TEST_MODE=MOCK: the fake provider is only worth its name if the official clients read it as they read the real APIs.
let llm: FakeLlmServer;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  llm = await startFakeLlmServer();
  openai = new OpenAI({ apiKey: "sk-test-fake", baseURL: llm.baseUrl, maxRetries: 0, timeout: 2000 });
  anthropic = new Anthropic({ apiKey: "sk-ant-test-fake", baseURL: llm.anthropicBaseUrl, maxRetries: 0, timeout: 2000 });
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

type Streamed = { deltas: string[]; usage?: { input_tokens: number; output_tokens: number }; error?: unknown };

/** Reads a streamed answer with the provider's own client, keeping what arrived before any failure. */
async function stream(provider: FakeProvider, opts: { timeout?: number } = {}): Promise<Streamed> {
  const out: Streamed = { deltas: [] };
  try {
    if (provider === "openai") {
      const s = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } }, opts);
      for await (const chunk of s) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) out.deltas.push(delta);
        if (chunk.usage) out.usage = { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens };
      }
    } else {
      const s = anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "Hi" }] }, opts);
      s.on("text", (delta) => out.deltas.push(delta));
      const final = await s.finalMessage();
      out.usage = { input_tokens: final.usage.input_tokens, output_tokens: final.usage.output_tokens };
      // The client's own accumulation of the events agrees with the deltas it emitted.
      expect(final.content.map((b) => (b.type === "text" ? b.text : "")).join("")).toBe(out.deltas.join(""));
    }
  } catch (error) {
    out.error = error;
  }
  return out;
}

async function complete(provider: FakeProvider) {
  if (provider === "openai") {
    const res = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
    return { text: res.choices[0]!.message.content, usage: { input_tokens: res.usage!.prompt_tokens, output_tokens: res.usage!.completion_tokens } };
  }
  const res = await anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 100, messages: [{ role: "user", content: "Hi" }] });
  return { text: res.content.map((b) => (b.type === "text" ? b.text : "")).join(""), usage: { input_tokens: res.usage.input_tokens, output_tokens: res.usage.output_tokens } };
}

const TEXT = "Parcels to Canada arrive in five to seven working days.";

describe.each(["openai", "anthropic"] as const)("the fake %s server, read by the official client", (provider) => {
  it("streams a scripted answer in timed chunks that the client reassembles, with the usage it reports", async () => {
    llm.script(provider, { kind: "text", text: TEXT, chunks: 4, chunk_delay_ms: 30, usage: { input_tokens: 11, output_tokens: 13 } });
    const started = Date.now();
    const out = await stream(provider);
    expect(out.error).toBeUndefined();
    expect(out.deltas).toHaveLength(4);
    expect(out.deltas.join("")).toBe(TEXT);
    expect(out.usage).toEqual({ input_tokens: 11, output_tokens: 13 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 30 - 5);
    expect(llm.seen).toMatchObject([{ stream: true, answered: "text" }]);
  });

  it("answers unstreamed requests with the whole text and usage, and modes keep their old meaning", async () => {
    llm.script(provider, { kind: "text", text: TEXT, usage: { input_tokens: 5, output_tokens: 7 } });
    expect(await complete(provider)).toEqual({ text: TEXT, usage: { input_tokens: 5, output_tokens: 7 } });
    llm.modes[provider] = "rate_limited";
    await expect(complete(provider)).rejects.toMatchObject({ status: 429 });
    llm.modes[provider] = "ok";
    expect((await complete(provider)).text).toBe(provider === "openai" ? "We ship to 40 countries; delivery takes 3-7 days." : "Returns are free within 30 days.");
  });

  it.each([429, 500, 401, 404])("surfaces a scripted %i as an API error with that status, streamed or not", async (status) => {
    llm.script(provider, { kind: "status", status, ...(status === 429 && { retry_after_s: 7 }) }, { kind: "status", status });
    const err = await complete(provider).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(provider === "openai" ? OpenAI.APIError : Anthropic.APIError);
    expect(err).toMatchObject({ status });
    if (status === 429) expect((err as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("7");
    const streamed = await stream(provider);
    expect(streamed.error).toMatchObject({ status });
    expect(streamed.deltas).toEqual([]);
  });

  it("hangs until the client gives up, which the client reports as a timeout", async () => {
    llm.script(provider, { kind: "hang" });
    const started = Date.now();
    const out = await stream(provider, { timeout: 300 });
    expect(out.error).toBeInstanceOf(provider === "openai" ? OpenAI.APIConnectionTimeoutError : Anthropic.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(llm.seen).toMatchObject([{ answered: "hang" }]);
  });

  it("cuts a stream before its first token: the client raises with no text", async () => {
    llm.script(provider, { kind: "cut_before_first_token" });
    const out = await stream(provider);
    expect(out.error).toBeInstanceOf(Error);
    expect(out.deltas).toEqual([]);
  });

  it("cuts a stream after two chunks: the client has those two, then raises instead of ending cleanly", async () => {
    llm.script(provider, { kind: "cut_after", chunks: 2, text: TEXT, chunk_delay_ms: 5 });
    const out = await stream(provider);
    expect(out.error).toBeInstanceOf(Error);
    expect(out.deltas).toHaveLength(2);
    expect(TEXT.startsWith(out.deltas.join(""))).toBe(true);
    expect(out.usage).toBeUndefined();
  });
});

describe("scripting the fake server", () => {
  it("takes queued answers in order, per provider and model, and records what it saw", async () => {
    llm.script("openai", { kind: "status", status: 429, model: "gpt-4o" }, { kind: "text", text: "from the queue" });
    expect((await complete("openai")).text).toBe("from the queue");
    expect(llm.pending("openai")).toBe(1);
    await expect(openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] })).rejects.toMatchObject({ status: 429 });
    expect(llm.pending("openai")).toBe(0);
    expect(llm.seen.map((s) => [s.path, s.body.model, s.answered, s.authorization])).toEqual([
      ["/v1/chat/completions", "gpt-4o-mini", "text", "Bearer sk-test-fake"],
      ["/v1/chat/completions", "gpt-4o", "status", "Bearer sk-test-fake"],
    ]);
  });
});
