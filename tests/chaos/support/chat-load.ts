import { randomUUID } from "node:crypto";

export type ChatBody = { message_id: string; user_id: string; channel: "web"; content: { type: "text"; text: string }; conversation_id?: string };
/** What the client saw: an HTTP status, or no answer at all (the request failed or outlived its bound). */
export type Outcome = { status: number; conversationId?: string; rateLimitHeaders?: boolean } | { status: "no answer"; error: string };
export type Attempt = { body: ChatBody; startedAt: number; finishedAt: number; outcome: Outcome };
export type Send = (body: ChatBody) => Promise<Outcome>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** fetch reports every network failure as "fetch failed"; the cause says which (refused, reset…). */
const describe = (e: unknown): string => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return [e instanceof Error ? e.message : String(e), cause?.code ?? cause?.message].filter(Boolean).join(": ");
};

export type LoadOptions = {
  send: Send;
  virtualUsers: number;
  /** Each virtual user pauses this long between messages, which bounds the count. */
  pauseMs: number;
  /** …and this long after a message got no answer, as a client backs off (defaults to pauseMs). */
  backoffMs?: number;
  /** A request without an outcome by then counts as `no answer`. */
  answerWithinMs: number;
  /** A virtual user moves to a new end user after this many messages (the per-end-user limit is 30 a minute). */
  messagesPerEndUser?: number;
};

/**
 * Virtual users that each send one message at a time, continuing their end user's conversation, with a
 * fresh message_id per message (the id a client would redeliver under). `stop()` waits for the
 * requests in flight and returns every attempt.
 */
export function startLoad(options: LoadOptions): { stop(): Promise<Attempt[]> } {
  const attempts: Attempt[] = [];
  let running = true;
  const perUser = options.messagesPerEndUser ?? 20;
  const run = `${Date.now().toString(36)}`;
  const virtualUser = async (vu: number) => {
    const conversations = new Map<string, string>();
    for (let n = 0; running; n++) {
      const userId = `load-${run}-${vu}-${Math.floor(n / perUser)}`;
      const conversationId = conversations.get(userId);
      const body: ChatBody = { message_id: randomUUID(), user_id: userId, channel: "web", content: { type: "text", text: n % 2 ? "What are your opening hours?" : "Hello" }, ...(conversationId ? { conversation_id: conversationId } : {}) };
      const startedAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<Outcome>((resolve) => {
        timer = setTimeout(() => resolve({ status: "no answer", error: `no answer within ${options.answerWithinMs} ms` }), options.answerWithinMs);
      });
      const outcome = await Promise.race([options.send(body).catch((e: unknown): Outcome => ({ status: "no answer", error: describe(e) })), bound]);
      clearTimeout(timer);
      attempts.push({ body, startedAt, finishedAt: Date.now(), outcome });
      if (outcome.status === 200 && outcome.conversationId) conversations.set(userId, outcome.conversationId);
      await sleep(outcome.status === "no answer" ? (options.backoffMs ?? options.pauseMs) : options.pauseMs);
    }
  };
  const users = Array.from({ length: options.virtualUsers }, (_, vu) => virtualUser(vu));
  return {
    async stop() {
      running = false;
      await Promise.all(users);
      return attempts;
    },
  };
}

/** Reads a chat answer the way a client would: the status, and the conversation to continue. */
export async function outcomeOf(res: Response): Promise<Outcome> {
  const json = (await res.json().catch(() => null)) as { data?: { conversation_id?: string } } | null;
  return { status: res.status, conversationId: json?.data?.conversation_id, rateLimitHeaders: res.headers.has("x-ratelimit-limit") };
}

export const acked = (attempts: Attempt[]) => attempts.filter((a) => a.outcome.status === 200);
export const failed = (attempts: Attempt[]) => attempts.filter((a) => a.outcome.status !== 200);
