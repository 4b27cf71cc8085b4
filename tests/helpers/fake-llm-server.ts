import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { completionBody, errorBody, splitText, streamFrames, type FakeProvider, type FakeUsage } from "./fake-llm-wire";

export type { FakeProvider, FakeUsage } from "./fake-llm-wire";

/** What a provider answers when nothing is scripted for it (the first API; kept for the tests that use it). */
export type FakeMode = "ok" | "rate_limited" | "error" | "unauthorized" | "model_not_found";

/**
 * One scripted answer. Streamed when the request asks for `stream: true`, a JSON body otherwise.
 * `model` limits it to requests for that model; `chunks` pieces are sent `chunk_delay_ms` apart.
 */
export type FakeAnswer = { model?: string } & (
  | { kind: "text"; text: string; chunks?: number; chunk_delay_ms?: number; usage?: FakeUsage }
  | { kind: "status"; status: number; retry_after_s?: number }
  /** Never answers: the request stays open until the client gives up. */
  | { kind: "hang" }
  /** Headers (and for a stream the opening events) then the socket is destroyed. */
  | { kind: "cut_before_first_token" }
  /** `chunks` pieces of `text`, then the socket is destroyed mid-stream. */
  | { kind: "cut_after"; chunks: number; text: string; chunk_delay_ms?: number }
);

export type Seen = { path: string; authorization?: string; apiKey?: string; body: Record<string, unknown>; stream: boolean; answered: FakeAnswer["kind"] };

const DEFAULT_TEXT: Record<FakeProvider, string> = { openai: "We ship to 40 countries; delivery takes 3-7 days.", anthropic: "Returns are free within 30 days." };
const DEFAULT_USAGE: Record<FakeProvider, FakeUsage> = { openai: { input_tokens: 42, output_tokens: 12 }, anthropic: { input_tokens: 40, output_tokens: 9 } };
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
const JSON_HEADERS = { "content-type": "application/json" };

function answerForMode(provider: FakeProvider, mode: FakeMode): FakeAnswer {
  if (mode === "rate_limited") return { kind: "status", status: 429 };
  if (mode === "error") return { kind: "status", status: provider === "openai" ? 500 : 529 };
  if (mode === "unauthorized") return { kind: "status", status: 401 };
  if (mode === "model_not_found") return { kind: "status", status: 404 };
  return { kind: "text", text: DEFAULT_TEXT[provider] };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

async function respond(req: IncomingMessage, res: ServerResponse, provider: FakeProvider, body: Record<string, unknown>, answer: FakeAnswer): Promise<void> {
  const write = (s: string) => new Promise<void>((resolve) => res.write(s, () => resolve()));
  const gone = () => res.destroyed || res.writableEnded;
  const stream = body.stream === true;
  if (answer.kind === "hang") return;
  if (answer.kind === "status") {
    const retryAfter = answer.retry_after_s ?? (answer.status === 429 ? 1 : undefined);
    res.writeHead(answer.status, { ...JSON_HEADERS, ...(retryAfter !== undefined && { "retry-after": String(retryAfter) }) });
    res.end(JSON.stringify(errorBody(provider, answer.status, body.model, req.headers.authorization)));
    return;
  }
  const text = "text" in answer ? answer.text : "";
  const usage = (answer.kind === "text" && answer.usage) || DEFAULT_USAGE[provider];
  if (!stream && answer.kind === "text") {
    res.writeHead(200, JSON_HEADERS);
    res.end(JSON.stringify(completionBody(provider, body.model, text, usage)));
    return;
  }
  res.writeHead(200, stream ? SSE_HEADERS : JSON_HEADERS);
  if (!stream) {
    // A JSON body that stops half way, as a dropped connection leaves it.
    await write(JSON.stringify(completionBody(provider, body.model, text, usage)).slice(0, 20));
    res.socket?.destroy();
    return;
  }
  const chunkCount = answer.kind === "text" ? (answer.chunks ?? 4) : answer.kind === "cut_after" ? Math.max(answer.chunks, 1) + 1 : 1;
  const frames = streamFrames(provider, body, splitText(text, chunkCount), usage);
  for (const f of frames.opening) await write(f);
  const delay = answer.kind === "cut_before_first_token" ? 0 : (answer.chunk_delay_ms ?? 0);
  const sent = answer.kind === "text" ? frames.deltas.length : answer.kind === "cut_after" ? answer.chunks : 0;
  for (const f of frames.deltas.slice(0, sent)) {
    if (delay) await sleep(delay);
    if (gone()) return;
    await write(f);
  }
  if (answer.kind !== "text") {
    res.socket?.destroy();
    return;
  }
  for (const f of frames.closing) await write(f);
  res.end();
}

/**
 * OpenAI (/v1/chat/completions) and Anthropic (/v1/messages) on loopback, in their real JSON and SSE shapes;
 * port 0 picks a free one. `script(provider, ...answers)` queues answers taken in order; with none queued
 * a provider answers as `modes` says.
 */
export async function startFakeLlmServer(port = 0) {
  const modes = { openai: "ok" as FakeMode, anthropic: "ok" as FakeMode };
  const queues: Record<FakeProvider, FakeAnswer[]> = { openai: [], anthropic: [] };
  const seen: Seen[] = [];
  const take = (provider: FakeProvider, model: unknown): FakeAnswer => {
    const i = queues[provider].findIndex((a) => a.model === undefined || a.model === model);
    return i === -1 ? answerForMode(provider, modes[provider]) : queues[provider].splice(i, 1)[0]!;
  };
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const provider: FakeProvider | null = path.endsWith("/chat/completions") ? "openai" : path.endsWith("/messages") ? "anthropic" : null;
      if (!provider) {
        res.writeHead(404, JSON_HEADERS);
        res.end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      const answer = take(provider, body.model);
      seen.push({ path, authorization: req.headers.authorization, apiKey: req.headers["x-api-key"] as string | undefined, body, stream: body.stream === true, answered: answer.kind });
      await respond(req, res, provider, body, answer);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${bound}`,
    baseUrl: `http://127.0.0.1:${bound}/v1`,
    /** Anthropic's SDK adds /v1 itself. */
    anthropicBaseUrl: `http://127.0.0.1:${bound}`,
    modes,
    seen,
    script: (provider: FakeProvider, ...answers: FakeAnswer[]) => void queues[provider].push(...answers),
    /** Answers still queued (a test can check its script was used up). */
    pending: (provider: FakeProvider) => queues[provider].length,
    reset() {
      modes.openai = modes.anthropic = "ok";
      queues.openai.length = queues.anthropic.length = 0;
      seen.length = 0;
    },
    close: () =>
      new Promise<void>((r) => {
        // Hanging requests would keep close() waiting for ever.
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export type FakeLlmServer = Awaited<ReturnType<typeof startFakeLlmServer>>;
