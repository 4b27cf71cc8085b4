import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getSummary } from "@/app/api/v2/analytics/summary/route";
import { queryRows } from "@/db/query-rows";
import { CHANNEL_TYPES, conversations, flows, flowVersions, memberships, messages, tenants, users, type ChannelType } from "@/db/schema";
import { analyticsPage, analyticsSummary } from "@/server/analytics/analytics-queries";
import { analyticsSummarySchema } from "@/server/analytics/summary-schema";
import { rebuildRollups, refreshAllRollups, refreshRollups } from "@/server/analytics/refresh-rollups";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import { successEnvelopeSchema } from "@/server/http/envelope";
import { createApiKey } from "@/server/tenants/api-keys";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor as callerWith } from "../helpers/trpc-caller";

/*
 * A generated month of traffic (March 2025, which holds New York's daylight-saving change), inserted as raw
 * rows; every figure the rollups give is compared with the same figure counted here, in TypeScript, from
 * the generated rows.
 */

type Msg = { id: string; conversationId: string; sequence: number; direction: "inbound" | "outbound"; channel: ChannelType; intent: string | null; text: string; createdAt: Date; metadata: Record<string, unknown> };
type Conv = { id: string; tenantId: string; endUserId: string; channel: ChannelType; flowVersionId: string | null; sandbox: boolean; visitedStates: string[]; createdAt: Date; updatedAt: Date; handedOffAt: Date | null; firstHumanReplyAt: Date | null; resolvedAt: Date | null; messages: Msg[] };

const INTENTS = ["greeting", "pricing", "refund", "shipping", "hours", "complaint", "booking", "cancel", "warranty", "returns", "payment", "account"];
const STATES = ["menu", "orders", "faq", "handoff", "goodbye"];
const T1 = new Date("2025-04-01T12:00:00Z");

function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** The instant a wall-clock time has in a zone (checked, so a daylight-saving day is right too). */
function zoned(day: string, time: string, zone: string): Date {
  const wall = Date.parse(`${day}T${time}Z`);
  const offsetAt = (ms: number) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - ms;
  };
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess);
}
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const dayIn = (at: Date, zone: string) => {
  if (!dayFormats.has(zone)) dayFormats.set(zone, new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }));
  return dayFormats.get(zone)!.format(at);
};
const plusSeconds = (at: Date, s: number) => new Date(at.getTime() + s * 1000);

class Traffic {
  readonly convs: Conv[] = [];
  constructor(readonly tenantId: string) {}

  conversation(c: Partial<Conv> & Pick<Conv, "createdAt" | "endUserId" | "channel">): Conv {
    const conv: Conv = { id: randomUUID(), tenantId: this.tenantId, flowVersionId: null, sandbox: false, visitedStates: [], updatedAt: c.createdAt, handedOffAt: null, firstHumanReplyAt: null, resolvedAt: null, messages: [], ...c };
    this.convs.push(conv);
    return conv;
  }

  message(conv: Conv, m: Pick<Msg, "direction" | "createdAt"> & Partial<Msg>): Msg {
    const msg: Msg = { id: randomUUID(), conversationId: conv.id, sequence: conv.messages.length + 1, channel: conv.channel, intent: null, text: "hello", metadata: {}, ...m };
    conv.messages.push(msg);
    if (msg.createdAt > conv.updatedAt) conv.updatedAt = msg.createdAt;
    return msg;
  }

  async insert(db: Awaited<ReturnType<typeof createTestDb>>["db"], only: Conv[] = this.convs) {
    for (let i = 0; i < only.length; i += 200) {
      await db.insert(conversations).values(only.slice(i, i + 200).map(({ messages: _, ...c }) => ({ ...c, messageCount: _.length, lastSequence: _.length })));
    }
    const rows = only.flatMap((c) => c.messages.map((m) => ({ ...m, tenantId: c.tenantId, contentType: "text", content: { type: "text", text: m.text } })));
    for (let i = 0; i < rows.length; i += 500) await db.insert(messages).values(rows.slice(i, i + 500));
  }
}

/** A month of random conversations: bot turns, handoffs answered by agents (after a bot notice), resolutions, sandbox ones. */
function generateMonth(traffic: Traffic, zone: string, seed: number, count: number, versions: (string | null)[]) {
  const r = random(seed);
  for (let u = 0; u < 30; u++) traffic.conversation({ createdAt: zoned("2025-02-10", "12:00:00", zone), endUserId: `user-${u}`, channel: "web" });
  for (let i = 0; i < count; i++) {
    const day = `2025-03-${String(r.int(1, 31)).padStart(2, "0")}`;
    const time = `${String(r.int(0, 23)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}`;
    const conv = traffic.conversation({
      createdAt: zoned(day, time, zone), endUserId: `user-${r.int(0, 150)}`, channel: r.pick(CHANNEL_TYPES), sandbox: i % 25 === 0,
      flowVersionId: r.pick(versions), visitedStates: ["start", ...STATES.filter(() => r.next() < 0.5)],
    });
    let at = conv.createdAt;
    for (let turn = r.int(1, 4); turn > 0; turn--) {
      const latency = r.next() < 0.2 ? r.int(50, 2500) + 0.25 : r.int(50, 2500);
      const notUnderstood = r.next() < 0.15;
      const intent = r.next() < 0.8 ? r.pick(INTENTS) : null;
      const modelUsed = r.next() < 0.7 ? "gpt-4o-mini" : null;
      traffic.message(conv, { direction: "inbound", createdAt: at, intent, text: notUnderstood ? `gibberish ${i}-${turn}` : "hello",
        metadata: { bot_answered: true, not_understood: notUnderstood, result: { processing_metadata: { processing_time_ms: latency, model_used: modelUsed } } } });
      traffic.message(conv, { direction: "outbound", createdAt: plusSeconds(at, 1), metadata: { author: "bot", model_used: modelUsed, ...(modelUsed && { cost_cents: r.int(1, 30000) / 10000 }) } });
      // A turn may answer with more than one reply, each naming the turn's model: still one model call.
      if (modelUsed && turn === 1 && i % 3 === 0) traffic.message(conv, { direction: "outbound", createdAt: plusSeconds(at, 1), metadata: { author: "bot", model_used: modelUsed } });
      at = plusSeconds(at, r.int(10, 300));
    }
    if (r.next() < 0.3) {
      conv.handedOffAt = at;
      traffic.message(conv, { direction: "outbound", createdAt: plusSeconds(at, 1), metadata: { author: "bot", model_used: null, state: "handoff" } });
      if (r.next() < 0.8) {
        conv.firstHumanReplyAt = plusSeconds(at, r.int(30, 3000));
        traffic.message(conv, { direction: "outbound", createdAt: conv.firstHumanReplyAt, metadata: { author: "agent", agent_email: "ann@acme.test" } });
        traffic.message(conv, { direction: "inbound", createdAt: plusSeconds(conv.firstHumanReplyAt, 20), intent: r.pick(INTENTS), metadata: { bot_answered: false, not_understood: false } });
        if (r.next() < 0.6) conv.resolvedAt = plusSeconds(conv.firstHumanReplyAt, r.int(60, 7200));
      }
    } else if (r.next() < 0.1) conv.resolvedAt = plusSeconds(at, 5);
    if (conv.resolvedAt && conv.resolvedAt > conv.updatedAt) conv.updatedAt = conv.resolvedAt;
  }
}

/** The summary counted straight from the generated rows. */
function expected(traffic: Traffic, zone: string, from: string, to: string, liveVersion: string | null) {
  const inRange = (at: Date) => dayIn(at, zone) >= from && dayIn(at, zone) <= to;
  const real = traffic.convs.filter((c) => !c.sandbox);
  const started = real.filter((c) => inRange(c.createdAt));
  const msgs = real.flatMap((c) => c.messages.map((m) => ({ ...m, endUserId: c.endUserId }))).filter((m) => inRange(m.createdAt));
  const inbound = msgs.filter((m) => m.direction === "inbound");
  const bot = msgs.filter((m) => m.direction === "outbound" && m.metadata.author === "bot");
  const botAnswered = inbound.filter((m) => m.metadata.bot_answered === true);
  const nearest = (values: number[], pct: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.ceil((pct * sorted.length) / 100) - 1]! : null;
  };
  const figures = (values: number[]) => ({ p50: nearest(values, 50), p95: nearest(values, 95), count: values.length });
  const seconds = (a: Date, b: Date) => Math.floor((b.getTime() - a.getTime()) / 1000);
  const firstDay = new Map<string, string>();
  for (const c of [...real].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) if (!firstDay.has(c.endUserId)) firstDay.set(c.endUserId, dayIn(c.createdAt, zone));
  const active = new Set(inbound.map((m) => m.endUserId));
  const fresh = [...active].filter((u) => firstDay.get(u)! >= from).length;
  const counts = (keys: string[]) => [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())];
  const ranked = (pairs: [string, number][]) => pairs.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const timed = botAnswered.flatMap((m) => {
    const ms = (m.metadata.result as { processing_metadata?: { processing_time_ms?: number } } | undefined)?.processing_metadata?.processing_time_ms;
    return ms === undefined ? [] : [Math.round(ms)];
  });
  const latency = figures(timed);
  return {
    from, to, time_zone: zone,
    conversations: started.length,
    messages: { inbound: inbound.length, outbound: msgs.length - inbound.length },
    by_channel: Object.fromEntries(CHANNEL_TYPES.map((ch) => [ch, { conversations: started.filter((c) => c.channel === ch).length, messages: msgs.filter((m) => m.channel === ch).length }])),
    active_users: { total: active.size, new: fresh, returning: active.size - fresh },
    containment_rate: started.length ? started.filter((c) => !c.firstHumanReplyAt).length / started.length : 0,
    handoff_rate: started.length ? started.filter((c) => c.handedOffAt).length / started.length : 0,
    first_response_s: figures(started.filter((c) => c.handedOffAt && c.firstHumanReplyAt).map((c) => seconds(c.handedOffAt!, c.firstHumanReplyAt!))),
    resolution_s: figures(started.filter((c) => c.handedOffAt && c.resolvedAt).map((c) => seconds(c.handedOffAt!, c.resolvedAt!))),
    top_intents: ranked(counts(inbound.flatMap((m) => (m.intent ? [m.intent] : [])))).slice(0, 10).map(([intent, count]) => ({ intent, count })),
    not_understood_rate: botAnswered.length ? inbound.filter((m) => m.metadata.not_understood === true).length / botAnswered.length : 0,
    latency_ms: { p50: latency.p50, p95: latency.p95 },
    spend: { cost_cents: round4(bot.reduce((s, m) => s + ((m.metadata.cost_cents as number | undefined) ?? 0), 0)), model_calls: inbound.filter((m) => (m.metadata.result as { processing_metadata?: { model_used?: string | null } } | undefined)?.processing_metadata?.model_used).length },
    funnel: ranked(counts(started.filter((c) => c.flowVersionId === liveVersion).flatMap((c) => c.visitedStates))).map(([state, reached]) => ({ state, reached })),
  };
}
const round4 = (n: number) => Math.round(n * 1e4) / 1e4;
const comparable = <T extends { spend: { cost_cents: number } }>(s: T) => ({ ...s, spend: { ...s.spend, cost_cents: round4(s.spend.cost_cents) } });

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const NY = "America/New_York";
const KOLKATA = "Asia/Kolkata";
let a: { tenantId: string; userId: string; key: string; traffic: Traffic; live: string; older: string; oldConv: Conv };
let b: { tenantId: string; userId: string; key: string; traffic: Traffic };

async function tenant(company: string, zone: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email: `owner@${company.toLowerCase()}.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  await handle.db.update(tenants).set({ timeZone: zone }).where(eq(tenants.id, tenant.id));
  return { tenantId: tenant.id, userId: user.id, key: (await createApiKey(handle.db, tenant.id, null)).key, traffic: new Traffic(tenant.id) };
}

async function publishedVersions(tenantId: string) {
  const [flow] = await handle.db.insert(flows).values({ tenantId, name: "Support", draft: {} }).returning();
  const [v1, v2] = await handle.db.insert(flowVersions).values([1, 2].map((version) => ({ tenantId, flowId: flow!.id, version, definition: {}, createdAt: new Date(`2025-0${version}-01T00:00:00Z`) }))).returning();
  await handle.db.update(flows).set({ publishedVersionId: v2!.id }).where(eq(flows.id, flow!.id));
  return { live: v2!.id, older: v1!.id };
}

const callerFor = (userId: string, tenantId: string) => callerWith({ db: handle.db, kv, mailer }, userId, tenantId);
const rest = (key: string, query: string) => getSummary(new Request(`http://localhost:3000/api/v2/analytics/summary?${query}`, { headers: { authorization: `Bearer ${key}` } }));
const allRollups = () =>
  queryRows(handle.db, sql`select 'm' t, tenant_id, day::text, channel k, inbound || '/' || outbound || '/' || agent_outbound || '/' || bot_turns || '/' || not_understood || '/' || model_calls || '/' || cost_cents v from rollup_message_days
    union all select 'c', tenant_id, day::text, channel, started || '/' || handed_off || '/' || human_answered || '/' || resolved from rollup_conversation_days
    union all select 'u', tenant_id, day::text, end_user_id, first_day::text from rollup_user_days
    union all select 'i', tenant_id, day::text, intent, count::text from rollup_intent_days
    union all select 'd', tenant_id, day::text, metric || ':' || value, count::text from rollup_durations
    union all select 'f', tenant_id, day::text, coalesce(flow_version_id::text, '-') || ':' || state, reached::text from rollup_funnel_days
    order by 1, 2, 3, 4, 5`);

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  const ta = await tenant("Acme", NY);
  const versions = await publishedVersions(ta.tenantId);
  generateMonth(ta.traffic, NY, 11, 320, [versions.live, versions.live, versions.older, null]);
  // 23:30 on 10 March in New York is 03:30 on the 11th in UTC.
  const night = ta.traffic.conversation({ createdAt: zoned("2025-03-10", "23:30:00", NY), endUserId: "night-owl", channel: "web" });
  ta.traffic.message(night, { direction: "inbound", createdAt: night.createdAt, intent: "latenight", metadata: { bot_answered: true, not_understood: false, result: { processing_metadata: { processing_time_ms: 10 } } } });
  const oldConv = ta.traffic.conversation({ createdAt: zoned("2025-03-05", "09:00:00", NY), endUserId: "patient", channel: "whatsapp", flowVersionId: versions.live, visitedStates: ["start"] });
  ta.traffic.message(oldConv, { direction: "inbound", createdAt: oldConv.createdAt, intent: "refund", metadata: { bot_answered: true, not_understood: false, result: { processing_metadata: { processing_time_ms: 300 } } } });
  await ta.traffic.insert(handle.db);
  a = { ...ta, ...versions, oldConv };

  const tb = await tenant("Bravo", KOLKATA);
  generateMonth(tb.traffic, KOLKATA, 22, 60, [null]);
  // On a day of no other traffic: handed off at 10:00; the bot's own notice a second later is no human response, the agent's after 10 minutes is.
  const help = tb.traffic.conversation({ createdAt: zoned("2025-02-20", "09:59:00", KOLKATA), endUserId: "needs-help", channel: "slack" });
  help.handedOffAt = zoned("2025-02-20", "10:00:00", KOLKATA);
  tb.traffic.message(help, { direction: "inbound", createdAt: help.createdAt, metadata: { bot_answered: true, not_understood: false } });
  tb.traffic.message(help, { direction: "outbound", createdAt: plusSeconds(help.handedOffAt, 1), metadata: { author: "bot", model_used: null } });
  help.firstHumanReplyAt = plusSeconds(help.handedOffAt, 600);
  tb.traffic.message(help, { direction: "outbound", createdAt: help.firstHumanReplyAt, metadata: { author: "agent", agent_email: "bo@bravo.test" } });
  // 23:30 on 5 March in Kolkata and 00:15 on the 6th are both 5 March in UTC.
  for (const [day, time, intent] of [["2025-03-05", "23:30:00", "latefifth"], ["2025-03-06", "00:15:00", "earlysixth"]] as const) {
    const c = tb.traffic.conversation({ createdAt: zoned(day, time, KOLKATA), endUserId: `late-${intent}`, channel: "messenger" });
    tb.traffic.message(c, { direction: "inbound", createdAt: c.createdAt, intent, metadata: { bot_answered: true, not_understood: false } });
  }
  await tb.traffic.insert(handle.db);
  b = tb;
  await refreshRollups(handle.db, a.tenantId, T1);
  await refreshRollups(handle.db, b.tenantId, T1);
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("analytics figures", () => {
  it("equal the figures counted from the raw rows, for the month and for single days", async () => {
    for (const [from, to] of [["2025-03-01", "2025-03-31"], ["2025-03-09", "2025-03-09"], ["2025-03-10", "2025-03-10"], ["2025-03-05", "2025-03-20"]] as const) {
      const summary = await analyticsSummary(handle.db, a.tenantId, { from, to }, T1);
      expect(comparable(summary), `${from}..${to}`).toEqual(comparable(expected(a.traffic, NY, from, to, a.live)));
    }
    expect((await analyticsSummary(handle.db, a.tenantId, { from: "2025-03-01", to: "2025-03-31" }, T1)).conversations).toBeGreaterThan(250);
  });

  it("counts a message at 23:30 local time on that local day, not the UTC one", async () => {
    const tenth = await analyticsSummary(handle.db, a.tenantId, { from: "2025-03-10", to: "2025-03-10" }, T1);
    const eleventh = await analyticsSummary(handle.db, a.tenantId, { from: "2025-03-11", to: "2025-03-11" }, T1);
    expect(tenth.top_intents).toContainEqual({ intent: "latenight", count: 1 });
    expect(eleventh.top_intents.map((i) => i.intent)).not.toContain("latenight");
    const fifth = await analyticsSummary(handle.db, b.tenantId, { from: "2025-03-05", to: "2025-03-05" }, T1);
    const sixth = await analyticsSummary(handle.db, b.tenantId, { from: "2025-03-06", to: "2025-03-06" }, T1);
    expect(fifth.top_intents).toContainEqual({ intent: "latefifth", count: 1 });
    expect(fifth.top_intents.map((i) => i.intent)).not.toContain("earlysixth");
    expect(sixth.top_intents).toContainEqual({ intent: "earlysixth", count: 1 });
  });

  it("times the first human response from the agent's message, not the bot's notice after the handoff", async () => {
    const day = await analyticsSummary(handle.db, b.tenantId, { from: "2025-02-20", to: "2025-02-20" }, T1);
    expect(day.first_response_s).toEqual({ p50: 600, p95: 600, count: 1 });
    expect(day.containment_rate).toBe(0);
    expect(day.handoff_rate).toBe(1);
  });

  it("fills every day of the page's series, equal to the raw counts per day and channel", async () => {
    const page = await analyticsPage(handle.db, a.tenantId, { from: "2025-03-01", to: "2025-03-31" }, T1);
    expect(page.days.map((d) => d.day)).toHaveLength(31);
    expect(page.days[0]!.day).toBe("2025-03-01");
    expect(page.days.at(-1)!.day).toBe("2025-03-31");
    for (const d of page.days) {
      const day = expected(a.traffic, NY, d.day, d.day, a.live);
      expect(CHANNEL_TYPES.map((c) => d.conversations[c]), d.day).toEqual(CHANNEL_TYPES.map((c) => day.by_channel[c]!.conversations));
      expect(CHANNEL_TYPES.reduce((s, c) => s + d.inbound[c], 0), d.day).toBe(day.messages.inbound);
      expect(d.latency_p50, d.day).toBe(day.latency_ms.p50);
      expect(d.users_new + d.users_returning, d.day).toBe(day.active_users.total);
    }
    const raw = a.traffic.convs.filter((c) => !c.sandbox).flatMap((c) => c.messages).filter((m) => m.metadata.not_understood === true).sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime());
    expect(page.not_understood.examples.map((e) => e.text)).toEqual(raw.slice(0, 10).map((m) => m.text));
    expect(page.funnel.version).toEqual({ id: a.live, label: "Support v2", live: true });
    expect(page.funnel.versions.map((v) => v.label)).toEqual(["Support v2", "Support v1", "Starter flow"]);
    const older = await analyticsPage(handle.db, a.tenantId, { from: "2025-03-01", to: "2025-03-31", flowVersionId: a.older }, T1);
    const olderStarted = a.traffic.convs.filter((c) => !c.sandbox && c.flowVersionId === a.older && dayIn(c.createdAt, NY).startsWith("2025-03"));
    expect(older.funnel.steps[0]).toEqual({ state: "start", reached: olderStarted.length, dropped: 0 });
    expect(older.funnel.steps[1]!.dropped).toBe(olderStarted.length - older.funnel.steps[1]!.reached);
  });
});

describe("refreshing the rollups", () => {
  it("changes nothing when run again, and a rebuild gives the same rows", async () => {
    const before = await allRollups();
    await refreshRollups(handle.db, a.tenantId, T1);
    expect(await allRollups()).toEqual(before);
    await rebuildRollups(handle.db, a.tenantId, T1);
    expect(await allRollups()).toEqual(before);
  });

  it("picks up new messages and an agent's reply on an old conversation at the next refresh", async () => {
    const month = { from: "2025-03-01", to: "2025-04-01" };
    const before = await analyticsSummary(handle.db, a.tenantId, month, T1);
    const later = new Date(T1.getTime() + 60_000);
    a.oldConv.handedOffAt = later;
    a.oldConv.firstHumanReplyAt = plusSeconds(later, 90);
    const reply = a.traffic.message(a.oldConv, { direction: "outbound", createdAt: a.oldConv.firstHumanReplyAt, metadata: { author: "agent", agent_email: "ann@acme.test" } });
    await handle.db.insert(messages).values({ ...reply, tenantId: a.tenantId, contentType: "text", content: { type: "text", text: reply.text } });
    await handle.db.update(conversations).set({ handedOffAt: a.oldConv.handedOffAt, firstHumanReplyAt: a.oldConv.firstHumanReplyAt, updatedAt: a.oldConv.firstHumanReplyAt }).where(eq(conversations.id, a.oldConv.id));
    const fresh = a.traffic.conversation({ createdAt: plusSeconds(later, 120), endUserId: "newcomer", channel: "slack" });
    a.traffic.message(fresh, { direction: "inbound", createdAt: fresh.createdAt, intent: "pricing", metadata: { bot_answered: true, not_understood: false, result: { processing_metadata: { processing_time_ms: 123 } } } });
    await a.traffic.insert(handle.db, [fresh]);

    const after = await analyticsSummary(handle.db, a.tenantId, month, new Date(T1.getTime() + 3_600_000));
    expect(comparable(after)).toEqual(comparable(expected(a.traffic, NY, month.from, month.to, a.live)));
    expect(after.first_response_s.count).toBe(before.first_response_s.count + 1);
    expect(after.messages.outbound).toBe(before.messages.outbound + 1);
    expect(after.by_channel.slack.conversations).toBe(before.by_channel.slack.conversations + 1);
    expect(after.active_users.new).toBe(before.active_users.new + 1);
  });

  it("refreshes every tenant with changes, and none when nothing changed", async () => {
    const now = new Date(T1.getTime() + 7_200_000);
    expect(await refreshAllRollups(handle.db, now)).toBe(0);
    await handle.db.update(conversations).set({ updatedAt: now }).where(eq(conversations.tenantId, b.tenantId));
    expect(await refreshAllRollups(handle.db, new Date(now.getTime() + 1000))).toBe(1);
  });

  it("leaves a tenant another app process refreshed within the job's interval to the next tick, then counts what came since", async () => {
    const at = (ms: number) => new Date(T1.getTime() + 10_800_000 + ms);
    const tick = { minGapMs: 15_000 };
    const slack = async () => {
      const [row] = await queryRows<{ rolled: number; raw: number }>(
        handle.db,
        sql`select (select coalesce(sum(started), 0)::int from rollup_conversation_days where tenant_id = ${b.tenantId}::uuid and channel = 'slack') as rolled,
                   (select count(*)::int from conversations where tenant_id = ${b.tenantId}::uuid and channel = 'slack') as raw`,
      );
      return row!;
    };
    await handle.db.update(conversations).set({ updatedAt: at(0) }).where(eq(conversations.tenantId, b.tenantId));
    expect(await refreshAllRollups(handle.db, at(0), tick)).toBe(1);
    expect((await slack()).rolled).toBe((await slack()).raw);
    // Another process's tick a moment later, with a conversation started since: nothing is recounted yet.
    const late = b.traffic.conversation({ createdAt: at(1000), endUserId: "late-visitor", channel: "slack" });
    b.traffic.message(late, { direction: "inbound", createdAt: at(1000), intent: "pricing", metadata: { bot_answered: true, not_understood: false } });
    await b.traffic.insert(handle.db, [late]);
    expect(await refreshAllRollups(handle.db, at(5000), tick)).toBe(0);
    const waiting = await slack();
    expect(waiting.rolled).toBe(waiting.raw - 1);
    // The next tick recounts it.
    expect(await refreshAllRollups(handle.db, at(15_000), tick)).toBe(1);
    const counted = await slack();
    expect(counted.rolled).toBe(counted.raw);
  });
});

describe("time zone", () => {
  it("lets an admin change it, recounting every day in the new zone; a member may not", async () => {
    const admin = callerFor(b.userId, b.tenantId);
    const [user] = await handle.db.insert(users).values({ email: "member@bravo.test", passwordHash: await hashPassword("irrelevant-pass-1"), emailVerifiedAt: new Date() }).returning();
    await handle.db.insert(memberships).values({ tenantId: b.tenantId, userId: user!.id, role: "member" });
    const member = callerFor(user!.id, b.tenantId);
    await expect(member.analytics.setTimeZone({ time_zone: "UTC" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.analytics.setTimeZone({ time_zone: "Mars/Olympus" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("not a time zone") });
    expect(await admin.analytics.setTimeZone({ time_zone: "UTC" })).toEqual({ time_zone: "UTC" });
    expect((await member.analytics.timeZone()).time_zone).toBe("UTC");
    const fifth = await analyticsSummary(handle.db, b.tenantId, { from: "2025-03-05", to: "2025-03-05" }, new Date(T1.getTime() + 9_000_000));
    // Both late messages were written on 5 March in UTC.
    expect(fifth.top_intents).toEqual(expect.arrayContaining([{ intent: "latefifth", count: 1 }, { intent: "earlysixth", count: 1 }]));
    expect(comparable(fifth)).toEqual(comparable(expected(b.traffic, "UTC", "2025-03-05", "2025-03-05", null)));
  });
});

describe("tenant isolation and validation", () => {
  it("shows a member of another tenant none of it, through tRPC and REST", async () => {
    const other = callerFor(b.userId, b.tenantId);
    const page = await other.analytics.page({ from: "2025-03-01", to: "2025-03-31" });
    expect(page.summary.conversations).toBe(expected(b.traffic, "UTC", "2025-03-01", "2025-03-31", null).conversations);
    expect(page.top_intents.map((i) => i.intent)).not.toContain("latenight");
    expect(page.funnel.versions.map((v) => v.label)).toEqual(["Starter flow"]);
    await expect(other.analytics.page({ from: "2025-03-01", to: "2025-03-31", version: a.live })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // B's member asking with an A cookie is refused before any figure is read.
    await expect(callerFor(b.userId, a.tenantId).analytics.page({})).rejects.toBeInstanceOf(TRPCError);

    const resB = await rest(b.key, "from=2025-03-01&to=2025-03-31");
    expect(resB.status).toBe(200);
    const bodyB = successEnvelopeSchema(analyticsSummarySchema).strict().parse(await resB.json());
    expect(bodyB.data.conversations).toBe(page.summary.conversations);
    expect(bodyB.data.top_intents.map((i) => i.intent)).not.toContain("latenight");
    const bodyA = (await (await rest(a.key, "from=2025-03-01&to=2025-03-31")).json()) as { data: { top_intents: { intent: string }[]; by_channel: Record<string, unknown> } };
    expect(bodyA.data.top_intents.length).toBe(10);
    expect(Object.keys(bodyA.data.by_channel)).toEqual(["web", "whatsapp", "slack", "messenger"]);
  });

  it("refuses bad ranges with VALIDATION_ERROR naming the field", async () => {
    const cases: [string, string, string][] = [
      ["to=2025-03-31", "from", "From date (from) is required"],
      ["from=2025-02-30&to=2025-03-31", "from", "From date (from) must be a date written YYYY-MM-DD"],
      ["from=2025-03-31&to=2025-03-01", "to", "To date must be on or after the from date"],
      ["from=2024-01-01&to=2025-03-01", "to", "The range is at most 366 days"],
    ];
    for (const [query, field, message] of cases) {
      const res = await rest(a.key, query);
      expect(res.status, query).toBe(400);
      const body = await res.json();
      expect(body.error, query).toMatchObject({ code: "VALIDATION_ERROR", message, details: { fields: { [field]: message } } });
    }
    const owner = callerFor(a.userId, a.tenantId);
    await expect(owner.analytics.page({ from: "2025-03-31", to: "2025-03-01" })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "To date must be on or after the from date" });
  });
});
