import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A scripted refusal: an HTTP 429 (with Retry-After) or Slack's HTTP 200 `{ ok: false, error }`. */
export type SlackFailure = { status: 429; retryAfterS: number } | { error: string };
export type SlackPost = { channel: string; thread_ts?: string; text?: string; blocks?: Record<string, unknown>[]; authorization: string | undefined };

/**
 * Slack's Web API chat.postMessage on loopback, answering as Slack does: HTTP 200 with `{ ok: true, channel,
 * ts, message }`, or `{ ok: false, error }` (invalid_auth for a wrong bot token, no_text, channel_not_found).
 * Accepted posts are recorded in arrival order; refusals can be scripted.
 */
export async function startFakeSlackApi(opts: { botToken: string }) {
  const posted: SlackPost[] = [];
  const refused: string[] = [];
  let failNext: { count: number; failure: SlackFailure } | null = null;
  let counter = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, failure: SlackFailure) => {
    if ("status" in failure) {
      refused.push("ratelimited");
      return answer(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfterS) });
    }
    refused.push(failure.error);
    return answer(res, 200, { ok: false, error: failure.error });
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://127.0.0.1").pathname !== "/chat.postMessage") return answer(res, 404, { ok: false, error: "unknown_method" });
    if (!req.headers["content-type"]?.startsWith("application/json")) return answer(res, 200, { ok: false, error: "invalid_form_data" });
    if (req.headers.authorization !== `Bearer ${opts.botToken}`) return refuse(res, { error: "invalid_auth" });
    if (failNext && failNext.count > 0) {
      failNext.count -= 1;
      return refuse(res, failNext.failure);
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Omit<SlackPost, "authorization">;
    if (!body.channel) return refuse(res, { error: "channel_not_found" });
    if (!body.text && !body.blocks?.length) return refuse(res, { error: "no_text" });
    posted.push({ ...body, authorization: req.headers.authorization });
    counter += 1;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(counter).padStart(6, "0")}`;
    return answer(res, 200, { ok: true, channel: body.channel, ts, message: { type: "message", text: body.text, ts, ...(body.thread_ts && { thread_ts: body.thread_ts }) } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => answer(res, 200, { ok: false, error: "invalid_json" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    baseUrl: `http://${host}`,
    host,
    /** Accepted posts, in arrival order. */
    posted,
    /** Slack's error for each refused post, in arrival order. */
    refused,
    /** Refuses the next `count` posts with `failure`. */
    failNext(count: number, failure: SlackFailure) {
      failNext = { count, failure };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FakeSlackApi = Awaited<ReturnType<typeof startFakeSlackApi>>;
