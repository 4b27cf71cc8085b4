import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cassetteSchema } from "@/server/models/cassettes/cassette-schema";
import { createProviderFetch } from "@/server/models/transport";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-server";

// TEST_MODE=RECORD writes what the provider answered; TEST_MODE=GOLDEN gives it back.
const SECRET = "sk-proj-Zq8vT3secretRecordingKey4411";
const BODY_SECRET = "tok_live_8c1b5e55f0d2a9";
let llm: FakeLlmServer;
let dir: string;
const saved = { mode: process.env.TEST_MODE, dir: process.env.CASSETTE_DIR, speed: process.env.CASSETTE_SPEED };

beforeAll(async () => {
  llm = await startFakeLlmServer();
});
afterAll(async () => {
  await llm.close();
  for (const [name, value] of [["TEST_MODE", saved.mode], ["CASSETTE_DIR", saved.dir], ["CASSETTE_SPEED", saved.speed]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
beforeEach(() => {
  llm.reset();
  dir = mkdtempSync(path.join(tmpdir(), "cassettes-"));
  process.env.CASSETTE_DIR = dir;
  process.env.CASSETTE_SPEED = "0";
  return () => rmSync(dir, { recursive: true, force: true });
});

function client(mode: "RECORD" | "GOLDEN", apiKey = SECRET) {
  process.env.TEST_MODE = mode;
  return new OpenAI({ apiKey, baseURL: llm.baseUrl, fetch: createProviderFetch({ allowedHosts: [llm.host], timeoutMs: 5000 }), maxRetries: 0 });
}

const ask = (c: OpenAI, content: string) => c.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content }], metadata: { api_key: BODY_SECRET } } as never);
const cassetteTexts = () => readdirSync(dir).map((f) => readFileSync(path.join(dir, f), "utf8"));

describe("recording cassettes", () => {
  it("writes what the provider answered without its secrets, and GOLDEN gives it back with another key", async () => {
    llm.script("openai", { kind: "text", text: "Recorded answer." }, { kind: "status", status: 401 });
    const live = await ask(client("RECORD"), "first");
    expect(live.choices[0]!.message.content).toBe("Recorded answer.");
    // OpenAI's 401 quotes the start of the key it refused; that must not be committed either.
    await expect(ask(client("RECORD"), "second")).rejects.toMatchObject({ status: 401, message: expect.stringContaining("Incorrect API key provided: sk-proj***") });
    expect(llm.seen.map((s) => s.authorization)).toEqual([`Bearer ${SECRET}`, `Bearer ${SECRET}`]);

    const files = cassetteTexts();
    expect(files).toHaveLength(2);
    for (const text of files) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(SECRET.slice(0, 14));
      expect(text).not.toContain(BODY_SECRET);
      expect(text).not.toMatch(/sk-proj|Bearer|authorization/i);
    }
    const refused = files.map((t) => cassetteSchema.parse(JSON.parse(t))).find((c) => c.response.status === 401)!;
    expect(refused.response.chunks.map((c) => ("text" in c ? c.text : "")).join("")).toContain("Incorrect API key provided: [scrubbed].");

    const golden = client("GOLDEN", "sk-a-different-key-entirely");
    const replayed = await ask(golden, "first");
    expect(replayed).toEqual(live);
    await expect(ask(golden, "second")).rejects.toMatchObject({ status: 401 });
    expect(llm.seen).toHaveLength(2);
  });

  it("records a stream that broke after two chunks, and its replay breaks after the same two", async () => {
    llm.script("openai", { kind: "cut_after", chunks: 2, text: "one two three four five six", chunk_delay_ms: 5 });
    const read = async (c: OpenAI) => {
      const deltas: string[] = [];
      const stream = await c.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "cut" }], stream: true });
      const error = await (async () => {
        for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) deltas.push(chunk.choices[0].delta.content);
      })().catch((e: unknown) => e);
      return { deltas, error };
    };
    const live = await read(client("RECORD"));
    expect(live.error).toBeInstanceOf(Error);
    const [cassette] = cassetteTexts().map((t) => cassetteSchema.parse(JSON.parse(t)));
    expect(cassette!.response.ending).toBe("error");
    const replayed = await read(client("GOLDEN"));
    expect(replayed.deltas).toEqual(live.deltas);
    expect(replayed.deltas).toHaveLength(2);
    expect(replayed.error).toBeInstanceOf(Error);
  });
});

describe("the SSRF guard", () => {
  it("refuses a loopback base URL that is not allowed in RECORD and GOLDEN mode as in production, before any request", async () => {
    for (const mode of ["RECORD", "GOLDEN"] as const) {
      process.env.TEST_MODE = mode;
      const guarded = new OpenAI({ apiKey: SECRET, baseURL: llm.baseUrl, fetch: createProviderFetch({ allowedHosts: [], timeoutMs: 2000 }), maxRetries: 0 });
      const err = await ask(guarded, "first").catch((e: unknown) => e);
      expect((err as { cause?: Error }).cause?.name, mode).toBe("BlockedDestinationError");
    }
    expect(llm.seen).toHaveLength(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("the committed cassettes", () => {
  it("hold no key, token or credential header", () => {
    const committed = path.resolve("tests/cassettes");
    const files = readdirSync(committed).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const text = readFileSync(path.join(committed, f), "utf8");
      // The record script's own fake keys, then anything shaped like a real one.
      expect(text, f).not.toContain("fake-recording-key");
      expect(text, f).not.toMatch(/sk-(?!\[)|Bearer |x-api-key|"authorization"|AIza/i);
    }
  });
});
