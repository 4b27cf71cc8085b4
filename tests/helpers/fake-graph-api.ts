import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { signMeta } from "./webhook-signatures";
import { statusesWebhook, type WaStatus } from "./whatsapp-webhooks";

/** A scripted refusal: the HTTP status and, for a Graph error body, its code and message. */
export type GraphFailure = { status: number; code?: number; message?: string; retryAfterS?: number };
export type GraphSend = { path: string; id: string; body: Record<string, unknown>; authorization: string | undefined };

/**
 * The Graph API's send endpoint on loopback: POST /{phone-number-id | page-id}/messages with a bearer token.
 * Accepted bodies are recorded in arrival order and answered as the Cloud API (`messages[0].id` "wamid.<n>")
 * or the Messenger Send API (`message_id` "m_<n>") would. Refusals can be scripted, and a send can be held
 * open (the app sees no answer until `release`).
 */
export async function startFakeGraphApi(opts: { tokens: Record<string, string> }) {
  const tokens = { ...opts.tokens };
  const sent: GraphSend[] = [];
  const refused: { id: string; status: number }[] = [];
  let failNext: { count: number; failure: GraphFailure } | null = null;
  let failAll: GraphFailure | null = null;
  let holding: { requested: boolean; waiting: (() => void)[]; open: number } | null = null;
  let counter = 0;
  const waiters: { count: number; resolve: () => void }[] = [];

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, id: string, f: GraphFailure) => {
    refused.push({ id, status: f.status });
    const error = { message: f.message ?? "(#131000) Something went wrong", type: "OAuthException", code: f.code ?? 131000, fbtrace_id: "AbCdEf" };
    answer(res, f.status, { error }, f.retryAfterS !== undefined ? { "retry-after": String(f.retryAfterS) } : {});
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const match = new URL(req.url ?? "/", "http://127.0.0.1").pathname.match(/^(?:\/v\d+\.\d+)?\/([^/]+)\/messages$/);
    if (req.method !== "POST" || !match) return answer(res, 404, { error: { message: "Unknown path components", type: "OAuthException", code: 2500 } });
    const id = decodeURIComponent(match[1]!);
    if (!tokens[id] || req.headers.authorization !== `Bearer ${tokens[id]}`) {
      return refuse(res, id, { status: 401, code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
    }
    if (failAll) return refuse(res, id, failAll);
    if (failNext && failNext.count > 0) {
      failNext.count -= 1;
      return refuse(res, id, failNext.failure);
    }
    if (holding) {
      const h = holding;
      h.requested = true;
      h.open += 1;
      // A client that hung up while held (a killed app) never learns of the send: it is not accepted.
      let gone = false;
      res.once("close", () => {
        gone = true;
        h.open -= 1;
      });
      await new Promise<void>((resolve) => h.waiting.push(resolve));
      if (gone || res.destroyed) return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    sent.push({ path: req.url ?? "", id, body, authorization: req.headers.authorization });
    for (const w of waiters.filter((w) => sent.length >= w.count)) w.resolve();
    counter += 1;
    if (body.messaging_product === "whatsapp") {
      return answer(res, 200, { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${counter}` }] });
    }
    const recipient = (body.recipient as { id?: string } | undefined)?.id;
    return answer(res, 200, body.sender_action ? { recipient_id: recipient } : { recipient_id: recipient, message_id: `m_${counter}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => answer(res, 400, { error: { message: "Invalid JSON", code: 100 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;

  return {
    baseUrl: `http://${host}`,
    host,
    /** The bearer token each phone number or page id accepts; a test adds its channel's. */
    tokens,
    /** Accepted sends, in arrival order. */
    sent,
    /** Refused sends (scripted failures and bad tokens), in arrival order. */
    refused,
    /** Refuses the next `count` sends with `failure`. */
    failNext(count: number, failure: GraphFailure) {
      failNext = { count, failure };
    },
    /** Refuses every send with `failure` until `recover()`. */
    failUntilRecovered(failure: GraphFailure) {
      failAll = failure;
    },
    recover() {
      failAll = null;
      failNext = null;
    },
    /** Holds every accepted send open, unanswered, until `release()`; `heldRequested()` tells whether one arrived. */
    hold() {
      holding = { requested: false, waiting: [], open: 0 };
    },
    heldRequested: () => holding?.requested ?? false,
    /** Held sends whose client is still connected. */
    heldOpen: () => holding?.open ?? 0,
    release() {
      const h = holding;
      holding = null;
      h?.waiting.forEach((resolve) => resolve());
    },
    /** Resolves once `count` sends have been accepted (rejects after `timeoutMs`). */
    waitForSent(count: number, timeoutMs = 5000): Promise<void> {
      if (sent.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`fake Graph API: ${sent.length} of ${count} sends after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        holding?.waiting.forEach((r) => r());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FakeGraphApi = Awaited<ReturnType<typeof startFakeGraphApi>>;

/** Where a test posts a webhook: the app's URL, or the route handler itself (called in process). */
export type WebhookTarget = string | ((req: Request) => Promise<Response>);

export async function postWebhook(target: WebhookTarget, body: string, headers: Record<string, string>): Promise<Response> {
  if (typeof target === "string") return fetch(target, { method: "POST", body, headers });
  return target(new Request("http://127.0.0.1/webhook", { method: "POST", body, headers }));
}

/** Posts a signed WhatsApp `statuses` callback, as Meta does after a send. */
export function sendStatusWebhook(target: WebhookTarget, opts: { appSecret: string; phoneNumberId: string; statuses: WaStatus[] }): Promise<Response> {
  const body = statusesWebhook(opts.phoneNumberId, opts.statuses);
  return postWebhook(target, body, signMeta(body, opts.appSecret));
}
