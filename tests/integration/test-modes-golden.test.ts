import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cassetteSchema, chunkBytes, type Cassette } from "@/server/models/cassettes/cassette-schema";
import { createProviderFetch, MissingCassetteError } from "@/server/models/transport";
import type { FakeProvider } from "../helpers/fake-llm-server";
import { STREAM_MODELS, streamAnswer, type ProviderTarget } from "../helpers/golden-scenarios";

// TEST_MODE=GOLDEN against the committed cassettes (tests/cassettes, written by `npm run cassettes:record`).
const DIR = path.resolve("tests/cassettes");
// Nothing listens on the discard port: an answer can only have come from a cassette.
const NOWHERE: Record<FakeProvider, ProviderTarget> = {
  openai: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-not-the-recorded-one", allowedHosts: ["127.0.0.1:9"] },
  anthropic: { baseUrl: "http://127.0.0.1:9", apiKey: "sk-ant-not-the-recorded-one", allowedHosts: ["127.0.0.1:9"] },
};
const saved = { mode: process.env.TEST_MODE, speed: process.env.CASSETTE_SPEED, dir: process.env.CASSETTE_DIR };

beforeAll(() => {
  process.env.TEST_MODE = "GOLDEN";
  process.env.CASSETTE_DIR = DIR;
});
afterAll(() => {
  for (const [name, value] of [["TEST_MODE", saved.mode], ["CASSETTE_SPEED", saved.speed], ["CASSETTE_DIR", saved.dir]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function streamedCassette(provider: FakeProvider): Cassette {
  const all = readdirSync(DIR).map((f) => cassetteSchema.parse(JSON.parse(readFileSync(path.join(DIR, f), "utf8"))));
  const found = all.find((c) => c.request.model === STREAM_MODELS[provider] && (c.request.body as { stream?: boolean }).stream === true);
  if (!found) throw new Error(`No streamed ${provider} cassette in ${DIR}: run npm run cassettes:record`);
  return found;
}

/** Replays the streamed scenario, noting each body chunk the client receives and when. */
async function replay(provider: FakeProvider) {
  const arrivals: { at: number; bytes: Uint8Array }[] = [];
  const started = performance.now();
  const tap = (inner: typeof fetch): typeof fetch => async (input, init) => {
    const res = await inner(input, init);
    const reader = res.body!.getReader();
    const watched = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        arrivals.push({ at: performance.now(), bytes: value });
        controller.enqueue(value);
      },
    });
    return new Response(watched, { status: res.status, headers: res.headers });
  };
  const answer = await streamAnswer(provider, NOWHERE[provider], tap);
  return { answer, arrivals, started, bytes: Buffer.concat(arrivals.map((a) => a.bytes)) };
}

describe.each(["openai", "anthropic"] as const)("a GOLDEN replay of a streamed %s answer", (provider) => {
  it("is byte-identical across runs and to the cassette, and the client reads the same text and usage", async () => {
    const cassette = streamedCassette(provider);
    process.env.CASSETTE_SPEED = "0";
    const first = await replay(provider);
    const second = await replay(provider);
    expect(first.bytes.equals(second.bytes)).toBe(true);
    expect(first.bytes.equals(Buffer.concat(cassette.response.chunks.map(chunkBytes)))).toBe(true);
    expect(first.arrivals.map((a) => a.bytes.length)).toEqual(cassette.response.chunks.map((c) => chunkBytes(c).length));
    expect(second.answer).toEqual(first.answer);
    expect(first.answer.deltas.join("").length).toBeGreaterThan(10);
    expect(first.answer.usage?.output_tokens).toBeGreaterThan(0);
  });

  it("keeps the recorded chunk timing, and CASSETTE_SPEED scales it", async () => {
    const cassette = streamedCassette(provider);
    const delays = cassette.response.chunks.map((c) => c.delay_ms);
    const recorded = cassette.response.headers_after_ms + delays.reduce((a, b) => a + b, 0);
    // The recording is paced slowly enough for a 4x replay to be told apart from a 1x one on a busy machine.
    expect(recorded).toBeGreaterThan(300);
    process.env.CASSETTE_SPEED = "1";
    const run = await replay(provider);
    // Timers never fire early; a busy machine can only make them late.
    run.arrivals.slice(1).forEach((a, i) => expect(a.at - run.arrivals[i]!.at).toBeGreaterThanOrEqual(delays[i + 1]! - 2));
    const elapsed = run.arrivals.at(-1)!.at - run.started;
    expect(elapsed).toBeGreaterThanOrEqual(recorded - 2);
    expect(elapsed).toBeLessThan(recorded + 500);

    process.env.CASSETTE_SPEED = "4";
    const fast = await replay(provider);
    const fastElapsed = fast.arrivals.at(-1)!.at - fast.started;
    expect(fastElapsed).toBeGreaterThanOrEqual(recorded / 4 - 2);
    expect(fastElapsed).toBeLessThan(recorded / 4 + 200);
    expect(fastElapsed).toBeLessThan(elapsed);
    expect(fast.bytes.equals(run.bytes)).toBe(true);
  });
});

describe("a request without a cassette", () => {
  it("fails loudly naming its key, method, path and model, and never reaches the network", async () => {
    const client = new OpenAI({ apiKey: "sk-anything", baseURL: NOWHERE.openai.baseUrl!, fetch: createProviderFetch({ allowedHosts: NOWHERE.openai.allowedHosts, timeoutMs: 2000 }), maxRetries: 0 });
    const err = await client.chat.completions.create({ model: "gpt-never-recorded", messages: [{ role: "user", content: "Hello?" }] }).catch((e: unknown) => e);
    // The client wraps what its fetch threw; the router unwraps `cause` to see it is not a provider failure.
    const missing = (err as { cause?: unknown }).cause;
    expect(missing).toBeInstanceOf(MissingCassetteError);
    const { key, message } = missing as MissingCassetteError;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(message).toContain(`No cassette for POST /v1/chat/completions (model gpt-never-recorded): key ${key}, expected ${path.join(DIR, `${key}.json`)}`);
    expect(message).toContain("npm run cassettes:record");
  });
});
