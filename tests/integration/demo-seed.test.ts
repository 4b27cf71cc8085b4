import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/query-rows";
import { conversationEvents, conversations, rollupConversationDays, tenants, users } from "@/db/schema";
import { DEMO_AGENT, DEMO_LOGIN, DEMO_TIME_ZONE, seedDemo } from "@/server/demo/seed";
import { resetEnvForTests } from "@/server/env";
import demoFlow from "@/server/flows/demo-flow.json";
import { createTestDb } from "../helpers/test-db";

const NOW = new Date("2026-03-18T15:30:00Z");
const MINUTE = 60_000;
let handle: Awaited<ReturnType<typeof createTestDb>>;
let first: Awaited<ReturnType<typeof seedDemo>>;
let seedMs: number;

beforeAll(async () => {
  // As scripts/demo.sh sets it: the demo flow calls the demo store API this app serves.
  process.env.OUTBOUND_ALLOWED_HOSTS = "localhost:3000";
  resetEnvForTests();
  handle = await createTestDb();
  const started = performance.now();
  first = await seedDemo(handle.db, { now: NOW });
  seedMs = performance.now() - started;
});
afterAll(async () => {
  await handle.dispose();
});

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);

describe("the demo seed", () => {
  it("writes four weeks of conversations once; seeding again changes nothing", async () => {
    expect(first.seeded).toBe(true);
    expect(first.conversations).toBeGreaterThanOrEqual(300);
    expect(first.conversations).toBeLessThanOrEqual(600);
    const again = await seedDemo(handle.db, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(again).toEqual({ ...first, seeded: false });
    expect(await handle.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_LOGIN.email))).toHaveLength(1);
    expect(await handle.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.name, DEMO_LOGIN.company))).toHaveLength(1);
  });

  it("starts the demo in seconds: bulk inserts, not a round trip per message", () => {
    // About 3 s on an idle machine; one statement per message took minutes. The bound leaves room for a busy CI runner.
    expect(seedMs).toBeLessThan(20_000);
  });

  it("spreads conversations over every channel and every day up to now, in the tenant's own time zone", async () => {
    const [tenant] = await handle.db.select({ timeZone: tenants.timeZone }).from(tenants).where(eq(tenants.id, first.tenantId));
    expect(tenant!.timeZone).toBe(DEMO_TIME_ZONE);
    const byChannel = await rows<{ channel: string; n: number }>(sql`select channel, count(*)::int as n from conversations where tenant_id = ${first.tenantId}::uuid group by channel order by channel`);
    expect(byChannel.map((r) => r.channel)).toEqual(["messenger", "slack", "web", "whatsapp"]);
    for (const { n } of byChannel) expect(n).toBeGreaterThan(20);
    const [span] = await rows<{ first: Date; last: Date; days: number; returning: number }>(
      sql`select min(created_at) as first, max(updated_at) as last, count(distinct (created_at at time zone 'UTC')::date)::int as days,
        (select count(*)::int from (select end_user_id from conversations where tenant_id = ${first.tenantId}::uuid group by end_user_id having count(*) > 1) r) as returning
        from conversations where tenant_id = ${first.tenantId}::uuid`,
    );
    expect(new Date(span!.first).getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 28 * 24 * 60 * MINUTE);
    expect(new Date(span!.last).getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(span!.days).toBe(28);
    // Some visitors come back: the analytics' returning users.
    expect(span!.returning).toBeGreaterThan(10);
  });

  it("numbers every conversation's messages 1, 2, 3... with matching counters", async () => {
    const broken = await rows<{ id: string }>(
      sql`select c.id from conversations c join lateral (
          select count(*)::int as n, count(distinct sequence)::int as distinct_n, min(sequence) as lo, max(sequence) as hi from messages m where m.conversation_id = c.id and m.tenant_id = c.tenant_id
        ) m on true
        where c.tenant_id = ${first.tenantId}::uuid and (m.n <> c.message_count or m.distinct_n <> m.n or m.lo <> 1 or m.hi <> c.last_sequence or c.last_sequence <> c.message_count)`,
    );
    expect(broken).toEqual([]);
  });

  it("writes bot turns as the pipeline does: latency, intents, states of the demo flow, model spend, not-understood turns", async () => {
    const [bot] = await rows<{ replies: number; fastest: number; slowest: number; with_model: number; cost: number; not_author: number }>(
      sql`select count(*)::int as replies, min((metadata ->> 'processing_time_ms')::int) as fastest, max((metadata ->> 'processing_time_ms')::int) as slowest,
          count(*) filter (where metadata ->> 'model_used' is not null)::int as with_model, coalesce(sum((metadata ->> 'cost_cents')::numeric), 0)::float as cost,
          count(*) filter (where metadata ->> 'state' is null)::int as not_author
        from messages where tenant_id = ${first.tenantId}::uuid and direction = 'outbound' and metadata ->> 'author' = 'bot'`,
    );
    expect(bot!.fastest).toBeGreaterThanOrEqual(40);
    expect(bot!.slowest).toBeLessThanOrEqual(900);
    expect(bot!.with_model).toBeGreaterThan(10);
    expect(bot!.cost).toBeGreaterThan(0);
    expect(bot!.not_author).toBe(0);

    const intents = await rows<{ intent: string }>(sql`select distinct intent from messages where tenant_id = ${first.tenantId}::uuid and intent is not null`);
    expect(intents.map((r) => r.intent)).toEqual(expect.arrayContaining(["greeting", "business_hours", "product_search", "order_inquiry", "order_issue", "human_escalation", "general_question", "thanks"]));

    const visited = await rows<{ state: string }>(sql`select distinct unnest(visited_states) as state from conversations where tenant_id = ${first.tenantId}::uuid`);
    const flowStates = Object.keys(demoFlow.states);
    for (const { state } of visited) expect(flowStates).toContain(state);
    expect(visited.map((r) => r.state)).toEqual(expect.arrayContaining(["router", "greet", "hours", "collect_product_needs", "show_results", "order_status", "general_answer", "not_understood", "handoff_to_agent"]));

    const [understood] = await rows<{ flagged: number; counted: number }>(
      sql`select (select count(*)::int from messages where tenant_id = ${first.tenantId}::uuid and direction = 'inbound' and (metadata ->> 'not_understood')::boolean) as flagged,
        (select sum(not_understood_count)::int from conversations where tenant_id = ${first.tenantId}::uuid) as counted`,
    );
    expect(understood!.flagged).toBeGreaterThan(15);
    expect(understood!.counted).toBe(understood!.flagged);
  });

  it("has handoffs answered by agents, one a person has now, and a few waiting in today's queue", async () => {
    const handoffs = await handle.db
      .select({ id: conversations.id, status: conversations.status, statusChangedAt: conversations.statusChangedAt, firstHumanReplyAt: conversations.firstHumanReplyAt, assignedTo: conversations.assignedTo })
      .from(conversations)
      .where(and(eq(conversations.tenantId, first.tenantId), sql`${conversations.handedOffAt} is not null`));
    expect(handoffs.length).toBeGreaterThanOrEqual(12);
    expect(handoffs.length).toBeLessThanOrEqual(25);

    const waiting = handoffs.filter((c) => c.status === "escalated");
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(waiting.length).toBeLessThanOrEqual(3);
    for (const c of waiting) expect(NOW.getTime() - c.statusChangedAt.getTime()).toBeLessThan(30 * MINUTE);

    const [ann] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_AGENT.email));
    const withAgent = handoffs.filter((c) => c.status === "with_agent");
    expect(withAgent.map((c) => c.assignedTo)).toEqual([ann!.id]);

    const answered = await rows<{ conversation_id: string; first_agent_at: Date; first_human_reply_at: Date; agent_name: string }>(
      sql`select m.conversation_id, min(m.created_at) as first_agent_at, c.first_human_reply_at, min(m.metadata ->> 'agent_name') as agent_name
        from messages m join conversations c on c.id = m.conversation_id
        where m.tenant_id = ${first.tenantId}::uuid and m.metadata ->> 'author' = 'agent' group by m.conversation_id, c.first_human_reply_at`,
    );
    expect(answered.length).toBeGreaterThanOrEqual(10);
    for (const a of answered) expect(new Date(a.first_human_reply_at)).toEqual(new Date(a.first_agent_at));
    expect(new Set(answered.map((a) => a.agent_name))).toEqual(new Set(["Ann Becker", "Dana Fischer"]));

    const events = await handle.db.select({ kind: conversationEvents.kind, actor: conversationEvents.actorLabel }).from(conversationEvents).where(eq(conversationEvents.tenantId, first.tenantId));
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["handoff_requested", "note", "released", "resolved", "taken"]);
    expect(events.filter((e) => e.kind === "handoff_requested").every((e) => e.actor === "bot")).toBe(true);
    expect(events.filter((e) => e.kind === "taken").map((e) => e.actor)).toEqual(expect.arrayContaining([DEMO_AGENT.email, DEMO_LOGIN.email]));
  });

  it("fills the analytics rollups for the seeded weeks", async () => {
    const [started] = await handle.db
      .select({ n: sql<number>`coalesce(sum(${rollupConversationDays.started}), 0)::int` })
      .from(rollupConversationDays)
      .where(eq(rollupConversationDays.tenantId, first.tenantId));
    expect(started!.n).toBe(first.conversations);
  });

  it("gives a demo workspace created without history (an older install) its weeks of conversations", async () => {
    await handle.db.delete(conversations).where(eq(conversations.tenantId, first.tenantId));
    const again = await seedDemo(handle.db, { now: NOW });
    expect(again).toEqual({ ...first, seeded: true });
    const [ann] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_AGENT.email));
    const withAgent = await handle.db.select({ assignedTo: conversations.assignedTo }).from(conversations).where(and(eq(conversations.tenantId, first.tenantId), eq(conversations.status, "with_agent")));
    expect(withAgent).toEqual([{ assignedTo: ann!.id }]);
  });
});
