import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * What the next chat completion does: stream `deltas` `gapMs` apart, and with `cutAfter` drop the
 * connection after that many (a stream cut after its first token).
 */
export type StreamScript = { deltas: string[]; gapMs: number; cutAfter?: number };

/**
 * The stream-latency bench's provider (tests/helpers/fake-llm-server.ts is the scriptable one for tests; this
 * one notes the moment each delta is written, which the bench needs): an OpenAI-compatible server on loopback that streams its answers as the OpenAI wire format does
 * (`data: {chunk}` lines, then `data: [DONE]`), and answers non-streamed calls (a connection test) whole.
 * `sentAt` holds, per streamed delta, when it was written (performance.timeOrigin + performance.now()).
 */
export async function startStreamingProvider(port = 0) {
  let script: StreamScript = { deltas: ["OK"], gapMs: 0 };
  const sentAt: number[] = [];
  const chunk = (res: ServerResponse, delta: Record<string, unknown>, finish: string | null) =>
    res.write(`data: ${JSON.stringify({ id: "chatcmpl-stream", object: "chat.completion.chunk", created: 0, model: "stream-model", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", async () => {
      const body = JSON.parse(raw || "{}") as { stream?: boolean };
      const { deltas, gapMs, cutAfter } = script;
      if (!body.stream) {
        const message = { role: "assistant", content: deltas.join("") };
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "chatcmpl-whole", object: "chat.completion", created: 0, model: "stream-model", choices: [{ index: 0, message, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: deltas.length, total_tokens: 5 + deltas.length } }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      chunk(res, { role: "assistant", content: "" }, null);
      for (const [i, delta] of deltas.entries()) {
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (cutAfter !== undefined && i >= cutAfter) {
          res.destroy();
          return;
        }
        chunk(res, { content: delta }, null);
        sentAt.push(performance.timeOrigin + performance.now());
      }
      chunk(res, {}, "stop");
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: `127.0.0.1:${address.port}`,
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    sentAt,
    script(next: StreamScript) {
      script = next;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
