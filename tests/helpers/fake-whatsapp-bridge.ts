import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type BridgeSend = { to: string; message: string; from?: string; signature: string | undefined };

/**
 * Our specification's mock WhatsApp bridge on loopback: POST /messages/send records `{ to, message, from }`
 * and answers `{ message_id: "mock_<uuid>", status: "queued" }`. With `callback`, it then posts a signed
 * `message.sent` event (status "delivered") to `callback`, which signs and posts it to the app's webhook as
 * the spec's bridge does (the secret is the channel's, known once the channel exists).
 */
export async function startFakeWhatsappBridge(opts: { callback?: (body: string) => Promise<unknown> } = {}) {
  const sent: BridgeSend[] = [];
  const ids: string[] = [];
  const callbacks: Promise<unknown>[] = [];
  let failures: { count: number; status: number } | null = null;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || req.url !== "/messages/send") {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: "not found" }));
    }
    if (failures && failures.count > 0) {
      failures.count -= 1;
      res.writeHead(failures.status, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: "bridge unavailable" }));
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { to: string; message: string; from?: string };
    const signature = req.headers["x-bridge-signature"];
    sent.push({ ...body, signature: typeof signature === "string" ? signature : undefined });
    const messageId = `mock_${randomUUID()}`;
    ids.push(messageId);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ message_id: messageId, status: "queued" }));
    if (opts.callback) {
      const event = JSON.stringify({ event_type: "message.sent", timestamp: new Date().toISOString(), data: { message_id: messageId, status: "delivered" } });
      callbacks.push(opts.callback(event));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `http://${host}`,
    host,
    sent,
    /** The message_id of each accepted send, in order. */
    ids,
    /** Resolves when every status callback posted so far has been answered. */
    settled: () => Promise.all(callbacks),
    failNext(count: number, status: number) {
      failures = { count, status };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A `message.received` event as the spec's bridge posts it (its /simulate/message). */
export const bridgeMessage = (opts: { from: string; to: string; messageId: string; text: string; at?: Date }) =>
  JSON.stringify({
    event_type: "message.received",
    timestamp: (opts.at ?? new Date()).toISOString(),
    data: { from_number: opts.from, to_number: opts.to, message_id: opts.messageId, text: opts.text, timestamp: (opts.at ?? new Date()).toISOString() },
  });
