import { randomInt } from "node:crypto";
import type { Db } from "@/db/client";
import { startFakeGraphApi, type FakeGraphApi } from "../tests/helpers/fake-graph-api";
import { signMeta } from "../tests/helpers/webhook-signatures";
import { messagesWebhook, textMessage } from "../tests/helpers/whatsapp-webhooks";
import { KeepAliveConnection } from "./http-client";
import { summarize, type Summary } from "./stats";

/*
 * The WhatsApp figures: signed Cloud API webhooks (Meta's payload shape, X-Hub-Signature-256, a new wamid
 * each) against the app's webhook route, and their replies sent by the app's delivery workers to a fake
 * Graph API served here on loopback (tests/helpers/fake-graph-api.ts, the one the integration tests use).
 */

const PHONE_NUMBER_ID = "106540352242922";
const SECRETS = { access_token: "bench-graph-token", app_secret: "bench-app-secret", verify_token: "bench-verify-token" };
/** Each virtual user's messages, sent back to back: four turns with four different answers, so a lost, duplicated or reordered reply shows. */
const SCRIPT = ["Hello", "What are your opening hours?", "I'm looking for a laptop", "Under $1000, for programming"];
const REPLY_TIMEOUT_MS = 30_000;

export type WhatsappChannel = { publicKey: string; phoneNumberId: string };
export type WhatsappEndToEnd = Summary & { scenarios: string; users: number; replies: { expected: number; received: number; lost: number; duplicated: number; reordered: number }; reference: string[][] };

export const startBenchGraphApi = () => startFakeGraphApi({ tokens: { [PHONE_NUMBER_ID]: SECRETS.access_token } });

/** The bench tenant's WhatsApp Cloud API channel, its API base URL the fake Graph API (admitted by OUTBOUND_ALLOWED_HOSTS). */
export async function createWhatsappChannel(db: Db, tenantId: string, userId: string, graph: FakeGraphApi): Promise<WhatsappChannel> {
  const { upsertChannel } = await import("@/server/channels/channel-service");
  const view = await upsertChannel(db, tenantId, userId, { type: "whatsapp", enabled: true, settings: { mode: "cloud", phone_number_id: PHONE_NUMBER_ID, api_base_url: graph.baseUrl }, secrets: SECRETS });
  return { publicKey: view.publicKey, phoneNumberId: PHONE_NUMBER_ID };
}

/** The text of a Graph API send as the end user reads it: a text body or an interactive message's body. */
function sentText(body: Record<string, unknown>): string {
  const text = (body.text as { body?: string } | undefined)?.body ?? (body.interactive as { body?: { text?: string } } | undefined)?.body?.text;
  return text ?? JSON.stringify(body);
}

/** Watches the fake's accepted sends and hands each recipient's replies, with their arrival times, to whoever waits for them. */
function replyFeed(graph: FakeGraphApi) {
  const byRecipient = new Map<string, { text: string; at: number }[]>();
  const waiters = new Map<string, { count: number; resolve: () => void }>();
  let cursor = 0;
  const timer = setInterval(() => {
    for (; cursor < graph.sent.length; cursor++) {
      const body = graph.sent[cursor]!.body;
      const to = String(body.to);
      const list = byRecipient.get(to) ?? [];
      list.push({ text: sentText(body), at: performance.now() });
      byRecipient.set(to, list);
      const w = waiters.get(to);
      if (w && list.length >= w.count) {
        waiters.delete(to);
        w.resolve();
      }
    }
  }, 2);
  return {
    received: (to: string) => byRecipient.get(to) ?? [],
    /** Resolves once `to` has `count` replies, or after `timeoutMs` (the check then counts what is missing). */
    waitFor(to: string, count: number, timeoutMs: number): Promise<void> {
      if ((byRecipient.get(to)?.length ?? 0) >= count) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => (waiters.delete(to), resolve()), timeoutMs);
        waiters.set(to, { count, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    stop: () => clearInterval(timer),
  };
}

type Feed = ReturnType<typeof replyFeed>;

/** Lost, duplicated and reordered replies of one end user against the reference (what a lone user receives). */
export function compareReplies(expected: string[], received: string[]): { lost: number; duplicated: number; reordered: boolean } {
  const counts = new Map<string, number>();
  for (const t of expected) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const t of received) counts.set(t, (counts.get(t) ?? 0) - 1);
  let lost = 0;
  let duplicated = 0;
  for (const n of counts.values()) {
    if (n > 0) lost += n;
    else duplicated -= n;
  }
  const reordered = lost === 0 && duplicated === 0 && received.some((t, i) => t !== expected[i]);
  return { lost, duplicated, reordered };
}

/**
 * Verifies the webhook (Meta's GET handshake), then learns the reference replies: one end user sends the
 * script one message at a time on the idle server. Null (with the reason logged) when the app has no webhook
 * route or sends nothing, so the rest of the bench still runs.
 */
export async function prepareWhatsappLoad({ port, channel, graph, log }: { port: number; channel: WhatsappChannel; graph: FakeGraphApi; log: (m: string) => void }) {
  const url = `http://127.0.0.1:${port}/api/webhooks/whatsapp/${channel.publicKey}`;
  const challenge = String(randomInt(1e9));
  const handshake = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${SECRETS.verify_token}&hub.challenge=${challenge}`, { signal: AbortSignal.timeout(10_000) });
  const echoed = await handshake.text();
  if (handshake.status !== 200 || echoed !== challenge) {
    log(`WhatsApp figures skipped: the webhook handshake answered HTTP ${handshake.status} ${echoed.slice(0, 120)}`);
    return null;
  }
  const path = new URL(url).pathname;
  const feed = replyFeed(graph);
  let numbers = 15550000000 + randomInt(1e6) * 1000;
  const newUser = () => String(numbers++);
  const post = (connection: KeepAliveConnection, from: string, wamid: string, text: string) => {
    const body = messagesWebhook(channel.phoneNumberId, [textMessage(wamid, from, text)]);
    return connection.post(path, signMeta(body, SECRETS.app_secret), body, 10_000);
  };

  const reference: string[][] = [];
  const probe = new KeepAliveConnection(port);
  const from = newUser();
  for (const [k, text] of SCRIPT.entries()) {
    const before = feed.received(from).length;
    const res = await post(probe, from, `wamid.bench.${from}.${k}`, text);
    if (res.status !== 200) throw new Error(`WhatsApp probe: webhook answered HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    await feed.waitFor(from, before + 1, REPLY_TIMEOUT_MS);
    // A turn may answer with several messages: take what arrives until the conversation is quiet.
    for (let n = -1; n !== feed.received(from).length; ) {
      n = feed.received(from).length;
      await new Promise((r) => setTimeout(r, 400));
    }
    reference.push(feed.received(from).slice(before).map((r) => r.text));
    if (reference.at(-1)!.length === 0) throw new Error(`WhatsApp probe: no reply to "${text}" reached the fake Graph API within ${REPLY_TIMEOUT_MS / 1000}s (are the delivery workers running?)`);
  }
  probe.close();
  const flat = reference.flat();
  if (new Set(flat).size !== flat.length) throw new Error(`WhatsApp probe: the script's replies are not all different, so order could not be checked: ${JSON.stringify(reference)}`);
  log(`WhatsApp webhook verified; reference replies: ${reference.map((r) => r.length).join("+")} messages for ${SCRIPT.length} webhooks`);

  return {
    endToEnd: (o: PhaseOptions) => measureEndToEnd(o, { port, post, newUser, feed, reference, log }),
    ack: (o: PhaseOptions) => measureAck(o, { port, post, newUser, log }),
    stop: feed.stop,
  };
}

type PhaseOptions = {
  connections: number;
  warmupMs: number;
  durationMs: number;
  /**
   * Run between the warm-up and the measured window, the load still running. The inbox and outbox tables are
   * empty until this phase's warm-up fills them, and plans made from an empty table's statistics (a sequential
   * scan of what is then thousands of rows) would be measured, where a long-running database has statistics.
   */
  afterWarmup?: () => Promise<void>;
};
type Post = (connection: KeepAliveConnection, from: string, wamid: string, text: string) => ReturnType<KeepAliveConnection["post"]>;

/** Runs `client(index, phase)` on `connections` loops through a warm-up and a measured phase; returns the measured window. */
async function phases(o: PhaseOptions, label: string, log: (m: string) => void, client: (index: number, phase: () => "warmup" | "measure" | "done") => Promise<void>) {
  let phase: "warmup" | "measure" | "done" = "warmup";
  const clients = Array.from({ length: o.connections }, (_, i) => client(i, () => phase));
  log(`[${label}] warm-up ${o.warmupMs / 1000}s with ${o.connections} connections`);
  await new Promise((r) => setTimeout(r, o.warmupMs));
  await o.afterWarmup?.();
  phase = "measure";
  const start = performance.now();
  log(`[${label}] measuring ${o.durationMs / 1000}s`);
  await new Promise((r) => setTimeout(r, o.durationMs));
  phase = "done";
  const end = performance.now();
  await Promise.allSettled(clients);
  return { start, end };
}

/**
 * End to end: each virtual user sends the script's four webhooks back to back (each acknowledged before the
 * next, as Meta delivers them), then waits for all its replies; then a new user starts. Throughput counts
 * webhook messages whose last reply reached the fake inside the measured window; latency is from a message's
 * webhook to its last reply. Every user of the phase is then checked against the reference, once.
 */
async function measureEndToEnd(o: PhaseOptions, ctx: { port: number; post: Post; newUser: () => string; feed: Feed; reference: string[][]; log: (m: string) => void }): Promise<WhatsappEndToEnd> {
  const label = "whatsapp_e2e";
  const users: { from: string; posted: number[] }[] = [];
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  const expectedTotal = ctx.reference.flat().length;
  const window = await phases(o, label, ctx.log, async (index, phase) => {
    const connection = new KeepAliveConnection(ctx.port);
    while (phase() !== "done") {
      const user = { from: ctx.newUser(), posted: [] as number[] };
      users.push(user);
      for (const [k, text] of SCRIPT.entries()) {
        user.posted.push(performance.now());
        const res = await ctx.post(connection, user.from, `wamid.bench.${user.from}.${k}`, text).catch((e: Error) => ({ status: 0, body: e.message }));
        if (res.status !== 200) {
          errors++;
          const kind = res.status ? `HTTP ${res.status}` : `socket: ${res.body.slice(0, 60)}`;
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
      }
      await ctx.feed.waitFor(user.from, expectedTotal, REPLY_TIMEOUT_MS);
    }
    connection.close();
  });
  const latencies: number[] = [];
  const replies = { expected: 0, received: 0, lost: 0, duplicated: 0, reordered: 0 };
  for (const user of users) {
    const got = ctx.feed.received(user.from);
    const diff = compareReplies(ctx.reference.flat(), got.map((r) => r.text));
    replies.expected += expectedTotal;
    replies.received += got.length;
    replies.lost += diff.lost;
    replies.duplicated += diff.duplicated;
    replies.reordered += diff.reordered ? 1 : 0;
    if (diff.lost || diff.duplicated || diff.reordered) continue;
    // The reference says which replies answer which message: its last one completes it.
    let last = -1;
    for (const [k, answer] of ctx.reference.entries()) {
      last += answer.length;
      const done = got[last]!.at;
      if (done >= window.start && done < window.end) latencies.push(done - user.posted[k]!);
    }
  }
  const summary = summarize(label, latencies, [], errors, window.end - window.start, errorKinds, 0, []);
  return { ...summary, scenarios: `${SCRIPT.length} webhooks per user`, users: users.length, replies, reference: ctx.reference };
}

/** Webhook acks: `connections` loops post signed message webhooks (a new wamid each); latency is until the 200. */
async function measureAck(o: PhaseOptions, ctx: { port: number; post: Post; newUser: () => string; log: (m: string) => void }): Promise<Summary & { scenarios: string }> {
  const label = "whatsapp_ack";
  const latencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  let errors = 0;
  const window = await phases(o, label, ctx.log, async (_index, phase) => {
    const connection = new KeepAliveConnection(ctx.port);
    while (phase() !== "done") {
      const startedIn = phase();
      // A new end user each time, as the first-message figures: one user's 30 messages a minute would be held back.
      const from = ctx.newUser();
      const t0 = performance.now();
      const res = await ctx.post(connection, from, `wamid.bench.ack.${from}`, SCRIPT[0]!).catch((e: Error) => ({ status: 0, body: e.message }));
      if (startedIn !== "measure" || phase() !== "measure") continue;
      if (res.status === 200) latencies.push(performance.now() - t0);
      else {
        errors++;
        const kind = res.status ? `HTTP ${res.status}` : `socket: ${res.body.slice(0, 60)}`;
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
    }
    connection.close();
  });
  return { ...summarize(label, latencies, [], errors, window.end - window.start, errorKinds, 0, []), scenarios: "message webhooks" };
}
