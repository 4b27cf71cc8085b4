import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeMode = "ok" | "rate_limited" | "error" | "unauthorized" | "model_not_found";
type Seen = { path: string; authorization?: string; apiKey?: string; body: Record<string, unknown> };

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

/** OpenAI (/v1/chat/completions) and Anthropic (/v1/messages) on loopback, in their real JSON shapes; port 0 picks a free one. */
export async function startFakeLlmServer(port = 0) {
  const modes = { openai: "ok" as FakeMode, anthropic: "ok" as FakeMode };
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    seen.push({ path, authorization: req.headers.authorization, apiKey: req.headers["x-api-key"] as string | undefined, body });
    const json = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (path.endsWith("/chat/completions")) {
      if (modes.openai === "rate_limited") return json(429, { error: { message: "Rate limit reached", type: "rate_limit_error", code: "rate_limit_exceeded" } });
      if (modes.openai === "error") return json(500, { error: { message: "upstream failure", type: "server_error" } });
      // As OpenAI words it, quoting part of the key it refused.
      if (modes.openai === "unauthorized") return json(401, { error: { message: `Incorrect API key provided: ${req.headers.authorization?.slice(7, 14)}***.`, type: "invalid_request_error", code: "invalid_api_key" } });
      if (modes.openai === "model_not_found") return json(404, { error: { message: `The model \`${String(body.model)}\` does not exist or you do not have access to it.`, type: "invalid_request_error", code: "model_not_found" } });
      return json(200, {
        id: "chatcmpl-fake",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "We ship to 40 countries; delivery takes 3-7 days." }, finish_reason: "stop" }],
        usage: { prompt_tokens: 42, completion_tokens: 12, total_tokens: 54 },
      });
    }
    if (path.endsWith("/messages")) {
      if (modes.anthropic === "rate_limited") return json(429, { type: "error", error: { type: "rate_limit_error", message: "Rate limited" } });
      if (modes.anthropic === "error") return json(529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
      if (modes.anthropic === "unauthorized") return json(401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
      if (modes.anthropic === "model_not_found") return json(404, { type: "error", error: { type: "not_found_error", message: `model: ${String(body.model)}` } });
      return json(200, {
        id: "msg_fake",
        type: "message",
        role: "assistant",
        model: body.model,
        content: [{ type: "text", text: "Returns are free within 30 days." }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 9 },
      });
    }
    json(404, { error: { message: "not found" } });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return { host: `127.0.0.1:${bound}`, baseUrl: `http://127.0.0.1:${bound}/v1`, modes, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}
