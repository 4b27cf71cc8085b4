import type { Db } from "@/db/client";
import { conversationEvents, conversationReads, conversations, endUsers, messages, type ChannelType } from "@/db/schema";
import type { LlmGenerator } from "../flows/engine";
import type { FlowDefinition } from "../flows/flow-schema";
import { buildFlowNlu } from "../pipeline/flow-nlu";
import { createDemoIntegrations } from "./demo-integrations";
import { SeededConversation, type SeedAgent, type SeedBot, type SeedVisitor } from "./seed-conversation";
import { AGENT_ANSWERS, AGENT_HANDBACK, AGENT_NOTES, AGENT_OPENERS, BOT_JOURNEYS, fill, HANDOFF_JOURNEYS, LLM_ANSWERS, LLM_DEFAULT_ANSWER, NAMES, pickWeighted, scriptOf, THANKS_AFTER_AGENT, VISITOR_TO_AGENT } from "./seed-journeys";
import { seededRandom, type Random } from "./seed-random";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const CHANNELS: readonly ChannelType[] = ["web", "web", "web", "web", "whatsapp", "whatsapp", "whatsapp", "messenger", "messenger", "slack"];

/** How a handed-off conversation goes on: most are answered by a person, a few are still in the queue today. */
type HandoffOutcome = "resolved" | "released" | "with_agent" | "waiting";
type Planned = { start: Date; outcome: HandoffOutcome | null };

export type SeedHistoryOptions = {
  tenantId: string;
  flow: FlowDefinition;
  flowVersionId: string;
  /** The members who answer handoffs; the first also has the one conversation still with a person. */
  agents: readonly SeedAgent[];
  days: number;
  now: Date;
};

/** The demo flow's LLM state answers from canned replies, and now and then the "provider" fails (the flow's fallback answers). */
function demoLlm(random: Random): LlmGenerator {
  return {
    async generate(req) {
      if (random.chance(0.15)) throw new Error("provider timed out");
      const answer = LLM_ANSWERS.find((a) => a.match.test(req.prompt))?.answer ?? LLM_DEFAULT_ANSWER;
      const model = random.chance(0.7) ? "openai:gpt-4o-mini-2024-07-18" : "anthropic:claude-haiku-4-5-20251001";
      return { text: answer, model, usage: { input_tokens: random.int(150, 260), output_tokens: random.int(30, 90) } };
    },
  };
}

function newVisitorId(random: Random, channel: ChannelType): string {
  const digits = (n: number) => Array.from({ length: n }, () => random.int(0, 9)).join("");
  const hex = (n: number) => Array.from({ length: n }, () => random.int(0, 15).toString(16)).join("");
  switch (channel) {
    case "web":
      // The widget's visitor ids are random UUIDs.
      return `web:${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    case "whatsapp":
      return `whatsapp:+49${digits(10)}`;
    case "messenger":
      return `messenger:${digits(16)}`;
    case "slack":
      return `slack:U0${digits(9)}`;
  }
}

/** About a quarter of conversations come from someone who has written before, on the same channel. */
function visitorsOf(random: Random) {
  const seen = new Map<ChannelType, SeedVisitor[]>();
  return (channel: ChannelType): SeedVisitor => {
    const pool = seen.get(channel) ?? [];
    seen.set(channel, pool);
    if (pool.length > 0 && random.chance(0.25)) return { ...random.pick(pool), returning: true };
    const visitor = { endUserId: newVisitorId(random, channel), channel, userName: random.pick(NAMES), returning: false };
    pool.push(visitor);
    return visitor;
  };
}

/**
 * Start times over the days ending `now` (busier on weekdays, 6:00–21:00 UTC), and the handoffs among them:
 * eleven answered by a person across the weeks, one a person has right now, three waiting in today's queue.
 */
function plan(random: Random, days: number, now: Date): Planned[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const planned: Planned[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const day = today - back * DAY;
    const weekend = [0, 6].includes(new Date(day).getUTCDay());
    const count = weekend ? random.int(8, 13) : random.int(14, 22);
    for (let i = 0; i < count; i++) {
      const start = new Date(day + random.int(6 * 60, 20 * 60 + 59) * MINUTE + random.int(0, 59_000));
      if (start.getTime() < now.getTime() - 30 * MINUTE) planned.push({ start, outcome: null });
    }
  }
  const answered: HandoffOutcome[] = ["resolved", "released", "resolved", "resolved", "released", "resolved", "resolved", "released", "resolved", "resolved", "resolved"];
  answered.forEach((outcome, i) => {
    const back = Math.max(1, Math.round(days - 1 - (i * (days - 2)) / (answered.length - 1)));
    planned.push({ start: new Date(today - back * DAY + random.int(8 * 60, 17 * 60) * MINUTE), outcome });
  });
  planned.push({ start: new Date(now.getTime() - 42 * MINUTE), outcome: "with_agent" });
  for (const minutesAgo of [26, 12, 5]) planned.push({ start: new Date(now.getTime() - minutesAgo * MINUTE), outcome: "waiting" });
  return planned.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The visitor's messages, 15–70 s apart; returns when the last one was written. */
async function converse(conversation: SeededConversation, random: Random, script: string[], start: Date): Promise<Date> {
  let at = start;
  for (const [i, text] of script.entries()) {
    if (i > 0) at = new Date(at.getTime() + random.int(15_000, 70_000));
    await conversation.visitorSays(text, at);
  }
  return at;
}

/** A person takes the waiting conversation, answers, and resolves it or hands it back to the bot. */
async function answerHandoff(conversation: SeededConversation, random: Random, agent: SeedAgent, outcome: HandoffOutcome, escalatedAt: Date): Promise<void> {
  let at = escalatedAt.getTime() + random.int(1 * MINUTE, 12 * MINUTE);
  const later = (min: number, max: number) => new Date((at += random.int(min, max)));
  conversation.take(agent, new Date(at));
  const names = { name: conversation.visitor.userName, agent: agent.name?.split(" ")[0] ?? "Acme support" };
  conversation.agentSays(agent, fill(random.pick(AGENT_OPENERS), names), later(20_000, 60_000));
  const problem = random.int(0, VISITOR_TO_AGENT.length - 1);
  await conversation.visitorSays(VISITOR_TO_AGENT[problem]!, later(30_000, 120_000));
  if (outcome === "with_agent") return;
  if (random.chance(0.4)) conversation.note(agent, random.pick(AGENT_NOTES), later(10_000, 40_000));
  conversation.agentSays(agent, AGENT_ANSWERS[problem]!, later(60_000, 240_000));
  if (outcome === "released") {
    conversation.agentSays(agent, AGENT_HANDBACK, later(20_000, 60_000));
    conversation.release(agent, later(5_000, 20_000));
    await conversation.visitorSays(random.pick(THANKS_AFTER_AGENT), later(20_000, 80_000));
    return;
  }
  await conversation.visitorSays(random.pick(THANKS_AFTER_AGENT), later(30_000, 90_000));
  conversation.resolve(agent, later(60_000, 300_000));
}

/** Builds every conversation in memory (the flow engine runs each bot turn), in start order so returning visitors are real. */
async function buildConversations(opts: SeedHistoryOptions): Promise<SeededConversation[]> {
  const random = seededRandom(20260301);
  const bot: SeedBot = { flow: opts.flow, nlu: buildFlowNlu(opts.flow), flowVersionId: opts.flowVersionId, integrations: createDemoIntegrations(), llm: demoLlm(random), random };
  const visitorFor = visitorsOf(random);
  const built: SeededConversation[] = [];
  let handoffs = 0;
  for (const { start, outcome } of plan(random, opts.days, opts.now)) {
    const conversation = new SeededConversation(opts.tenantId, bot, visitorFor(random.pick(CHANNELS)), start);
    const journey = pickWeighted(random, outcome ? HANDOFF_JOURNEYS : BOT_JOURNEYS);
    const last = await converse(conversation, random, scriptOf(random, journey), start);
    // A visitor whose words the bot took as a request for a person is answered like any other handoff,
    // so the queue holds only today's waiting conversations.
    if (conversation.currentStatus === "escalated" && outcome !== "waiting") {
      const agent = outcome === "with_agent" ? opts.agents[0]! : opts.agents[handoffs++ % opts.agents.length]!;
      await answerHandoff(conversation, random, agent, outcome ?? "resolved", last);
    }
    built.push(conversation);
  }
  return built;
}

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Weeks of demo traffic ending `now`, written in a handful of bulk inserts. Conversations that ended more than
 * a day ago count as read by the agents, so the inbox's unread markers point at recent ones.
 */
export async function seedHistory(db: Db, opts: SeedHistoryOptions): Promise<{ conversations: number; messages: number }> {
  const built = await buildConversations(opts);
  const rows = built.map((c) => c.row());
  const messageRows = built.flatMap((c) => c.messages);
  const eventRows = built.flatMap((c) => c.events);
  const readBefore = opts.now.getTime() - DAY;
  const reads = rows
    .filter((c) => c.updatedAt!.getTime() < readBefore)
    .flatMap((c) => opts.agents.map((agent) => ({ tenantId: opts.tenantId, conversationId: c.id!, userId: agent.userId, readSequence: c.lastSequence! })));
  await db.transaction(async (tx) => {
    await insertChunked(rows, 500, (chunk) => tx.insert(conversations).values(chunk));
    const claimed = new Map(rows.map((c) => [c.endUserId, { tenantId: opts.tenantId, endUserId: c.endUserId }]));
    await insertChunked([...claimed.values()], 1000, (chunk) => tx.insert(endUsers).values(chunk).onConflictDoNothing());
    await insertChunked(messageRows, 1000, (chunk) => tx.insert(messages).values(chunk));
    await insertChunked(eventRows, 1000, (chunk) => tx.insert(conversationEvents).values(chunk));
    await insertChunked(reads, 2000, (chunk) => tx.insert(conversationReads).values(chunk));
  });
  return { conversations: rows.length, messages: messageRows.length };
}
