/**
 * `npm run bench:analytics`: the analytics summary and the inbox list over one tenant with 1,000,000 generated
 * messages in ~100,000 conversations over 45 days (channels, intents, not-understood turns, latencies, handoffs
 * answered and resolved by agents, visited states, a few sandbox conversations), generated with SQL.
 *
 * Measures (server time: the function calls themselves, in this process, against Postgres):
 *   rebuild:   rebuildRollups over every day, once
 *   summary:   analyticsSummary for the last 30 days (incremental refresh included), 20 runs, goal ≤ 300 ms
 *   page:      analyticsPage for the same range (everything the page shows), 20 runs, goal ≤ 300 ms
 *   baseline:  the summary's headline figures computed by scanning the raw rows, 5 runs (what rollups save)
 *   inbox:     listConversations (server/inbox/inbox-queries.ts) with filters, 20 runs each, goal ≤ 100 ms
 * Env: DATABASE_URL (a fresh database on that server, dropped afterwards); unset, a throwaway PostgreSQL
 *      cluster is started as `npm run bench` does (needs root). Never PGlite: its numbers say nothing about
 *      production. Flags: --conversations N (100000), --runs N (20). Results: bench/results/analytics.json.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { openDb } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { flows, flowVersions, tenants } from "@/db/schema";
import { analyticsPage, analyticsSummary } from "@/server/analytics/analytics-queries";
import { addDays, localDay } from "@/server/analytics/local-days";
import { notUnderstoodExamples } from "@/server/analytics/not-understood-examples";
import { rebuildRollups, refreshRollups } from "@/server/analytics/refresh-rollups";
import { activeUsers, activeUsersByDay, conversationDays, dailyPercentiles, distributions, messageDays, topIntents } from "@/server/analytics/rollup-reads";
import { listConversations } from "@/server/inbox/inbox-queries";
import { inboxFiltersSchema, type InboxFiltersInput } from "@/server/inbox/inbox-schemas";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { cleanup, installExitHandlers, startServices } from "./services";
import { percentile, table } from "./stats";

const GOALS = { summaryMs: 300, pageMs: 300, inboxMs: 100 };
const ZONE = "America/New_York";
const log = (m: string) => console.log(`[bench:analytics] ${m}`);

function args() {
  const argv = process.argv.slice(2);
  const val = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? Number(argv[i + 1]) : def;
  };
  return { conversations: val("conversations", 100_000), runs: Math.max(1, val("runs", 20)) };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function measure(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 2; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await timed(fn)).ms);
  ms.sort((a, b) => a - b);
  return { median_ms: Math.round(percentile(ms, 50) * 10) / 10, p95_ms: Math.round(percentile(ms, 95) * 10) / 10, runs };
}

/** ~10 messages per conversation: bot turns, and for handed-off ones a bot notice and an agent's reply. */
async function generate(db: ReturnType<typeof openDb>["db"], tenantId: string, versionId: string, count: number, end: Date) {
  await db.execute(sql`select setseed(0.42)`);
  await db.execute(sql`
    insert into conversations (tenant_id, end_user_id, channel, flow_version_id, status, primary_intent, message_count, last_sequence,
      status_changed_at, handed_off_at, first_human_reply_at, resolved_at, visited_states, not_understood_count, sandbox, created_at, updated_at)
    select ${tenantId}::uuid, 'user-' || (g % (${count} * 2 / 5)), (array['web','web','whatsapp','slack','messenger'])[1 + g % 5],
      ${versionId}::uuid,
      case when g % 7 <> 0 then 'in_progress' when g % 3 = 0 then 'escalated' when g % 2 = 0 then 'resolved' else 'with_agent' end,
      (array['greeting','pricing','refund','shipping','hours','complaint','booking','cancel','warranty','returns','payment','account'])[1 + g % 12],
      10, 10, t + interval '4 minutes',
      case when g % 7 = 0 then t + interval '4 minutes' end,
      case when g % 7 = 0 and g % 3 <> 0 then t + interval '4 minutes' + (30 + g % 1800) * interval '1 second' end,
      case when g % 7 = 0 and g % 3 <> 0 and g % 2 = 0 then t + interval '4 minutes' + (2000 + g % 7200) * interval '1 second' end,
      array['start'] || case when g % 2 = 0 then array['menu'] else array[]::text[] end || case when g % 3 = 0 then array['orders'] else array[]::text[] end
        || case when g % 7 = 0 then array['handoff'] else array[]::text[] end,
      (g % 10 = 0)::int, g % 500 = 0, t, t + interval '3 hours'
    from (select g, ${end.toISOString()}::timestamptz - interval '45 days' + (g::float8 / ${count}) * interval '45 days' - interval '4 hours' as t
          from generate_series(1, ${count}) g) s`);
  // One sequence number per statement: 100,000 rows each stays well inside the connection's statement timeout.
  for (let seq = 1; seq <= 10; seq++) {
    await db.execute(sql`
    insert into messages (tenant_id, conversation_id, sequence, direction, channel, content_type, content, text, intent, metadata, created_at)
    select c.tenant_id, c.id, s, case when s % 2 = 1 then 'inbound' else 'outbound' end, c.channel, 'text',
      jsonb_build_object('type', 'text', 'text', w), w, case when s % 2 = 1 then c.primary_intent end,
      case
        when s % 2 = 1 then jsonb_build_object('bot_answered', c.handed_off_at is null or s < 7, 'not_understood', random() < 0.1,
          'result', jsonb_build_object('processing_metadata', jsonb_build_object('processing_time_ms', 40 + floor(random() * random() * 3000))))
        when s = 8 and c.first_human_reply_at is not null then jsonb_build_object('author', 'agent', 'agent_email', 'ann@bench.test', 'delivery_status', 'delivered')
        else jsonb_build_object('author', 'bot', 'model_used', case when random() < 0.6 then 'gpt-4o-mini' end, 'cost_cents', round((random() * 0.4)::numeric, 4), 'delivery_status', 'delivered')
      end,
      case when s = 8 and c.first_human_reply_at is not null then c.first_human_reply_at else c.created_at + s * interval '20 seconds' end
    from conversations c cross join (select ${seq}::int as s) n
    cross join lateral (select case when s % 2 = 1 then 'question about ' || c.primary_intent || ' number ' || s else 'answer ' || s end as w) t
    where c.tenant_id = ${tenantId}::uuid`);
  }
  await db.execute(sql`analyze`);
}

const BASELINE = (tenantId: string, from: string, to: string) => sql`
  with m as (
    select m.direction, m.channel, m.intent, m.metadata, c.end_user_id from messages m join conversations c on c.id = m.conversation_id
    where m.tenant_id = ${tenantId}::uuid and not c.sandbox
      and m.created_at >= (${from}::date::timestamp at time zone ${ZONE}) and m.created_at < ((${to}::date + 1)::timestamp at time zone ${ZONE})
  )
  select count(*) filter (where direction = 'inbound') as inbound, count(*) filter (where direction = 'outbound') as outbound,
    count(distinct end_user_id) filter (where direction = 'inbound') as users,
    percentile_disc(0.5) within group (order by (metadata #>> '{result,processing_metadata,processing_time_ms}')::numeric) filter (where metadata->'bot_answered' = 'true') as p50,
    percentile_disc(0.95) within group (order by (metadata #>> '{result,processing_metadata,processing_time_ms}')::numeric) filter (where metadata->'bot_answered' = 'true') as p95,
    (select json_agg(i) from (select intent, count(*) from m where intent is not null group by intent order by 2 desc limit 10) i) as intents
  from m`;

async function main() {
  const opts = args();
  installExitHandlers();
  const services = await startServices(randomBytes(4).toString("hex"), log);
  log(`using ${services.description}`);
  // The app's own pool size (db/client.ts), so the summary's parallel reads get the connections they get there.
  const handle = openDb({ databaseUrl: services.databaseUrl, poolSize: 10 });
  try {
    await handle.migrate();
    const db = handle.db;
    const { tenant, user } = await createTenantWithOwner(db, { companyName: "Bench Analytics", email: "owner@bench-analytics.test", passwordHash: "x", verified: true });
    await db.update(tenants).set({ timeZone: ZONE }).where(eq(tenants.id, tenant.id));
    const [flow] = await db.insert(flows).values({ tenantId: tenant.id, name: "Support", draft: {} }).returning();
    const [version] = await db.insert(flowVersions).values({ tenantId: tenant.id, flowId: flow!.id, version: 1, definition: {} }).returning();
    await db.update(flows).set({ publishedVersionId: version!.id }).where(eq(flows.id, flow!.id));

    const now = new Date();
    log(`generating ${opts.conversations} conversations with 10 messages each…`);
    const generated = await timed(() => generate(db, tenant.id, version!.id, opts.conversations, now));
    const [counts] = await queryRows<{ conversations: number; messages: number }>(db, sql`select (select count(*) from conversations)::int as conversations, (select count(*) from messages)::int as messages`);
    log(`generated ${counts!.messages} messages in ${counts!.conversations} conversations in ${(generated.ms / 1000).toFixed(1)} s`);

    const rebuild = await timed(() => rebuildRollups(db, tenant.id, now));
    log(`rebuildRollups: ${(rebuild.ms / 1000).toFixed(1)} s`);
    // Autovacuum analyzes freshly filled tables within a minute; without statistics the planner sorts the rollups on disk.
    await db.execute(sql`analyze`);

    const to = localDay(now, ZONE);
    const range = { from: addDays(to, -29), to };
    const summary = await measure(opts.runs, () => analyticsSummary(db, tenant.id, range));
    const page = await measure(opts.runs, () => analyticsPage(db, tenant.id, range));
    const baseline = await measure(Math.min(5, opts.runs), () => db.execute(BASELINE(tenant.id, range.from, range.to)));
    const check = await analyticsSummary(db, tenant.id, range);
    // Where the page's time goes: each read on its own.
    const reads: Record<string, () => Promise<unknown>> = {
      "refreshRollups (nothing new)": () => refreshRollups(db, tenant.id),
      messageDays: () => messageDays(db, tenant.id, range),
      conversationDays: () => conversationDays(db, tenant.id, range),
      activeUsers: () => activeUsers(db, tenant.id, range),
      activeUsersByDay: () => activeUsersByDay(db, tenant.id, range),
      "distributions (range)": () => distributions(db, tenant.id, range, ["bot_latency_ms", "first_response_s", "resolution_s"]),
      "dailyPercentiles (latency)": () => dailyPercentiles(db, tenant.id, range, "bot_latency_ms"),
      topIntents: () => topIntents(db, tenant.id, range),
      notUnderstoodExamples: () => notUnderstoodExamples(db, tenant.id, ZONE, range),
    };
    const breakdown: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [name, fn] of Object.entries(reads)) breakdown[name] = await measure(Math.min(10, opts.runs), fn);

    const inboxCases: [string, InboxFiltersInput][] = [
      ["no filter", {}],
      ["status=waiting", { status: "waiting" }],
      ["channel=whatsapp", { channel: "whatsapp" }],
      ["intent=refund", { intent: "refund" }],
      ["q=refund", { q: "refund" }],
      ["channel+intent+from/to", { channel: "slack", intent: "pricing", from: range.from, to: range.to }],
    ];
    const inbox: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const [name, filters] of inboxCases) {
      const parsed = inboxFiltersSchema.parse(filters);
      inbox[name] = await measure(opts.runs, () => listConversations(db, tenant.id, user.id, parsed));
    }

    const verdict = (ms: number, goal: number) => (ms <= goal ? "ok" : "OVER");
    const rows = [
      ["measure", "median ms", "p95 ms", "goal ms", ""],
      ["analytics summary (30 days)", String(summary.median_ms), String(summary.p95_ms), String(GOALS.summaryMs), verdict(summary.p95_ms, GOALS.summaryMs)],
      ["analytics page (30 days)", String(page.median_ms), String(page.p95_ms), String(GOALS.pageMs), verdict(page.p95_ms, GOALS.pageMs)],
      ["baseline: raw-row scan", String(baseline.median_ms), String(baseline.p95_ms), "-", `${Math.round(baseline.median_ms / Math.max(summary.median_ms, 0.1))}x the summary`],
      ...Object.entries(breakdown).map(([name, r]) => [`  read: ${name}`, String(r.median_ms), String(r.p95_ms), "-", ""]),
      ...Object.entries(inbox).map(([name, r]) => [`inbox list: ${name}`, String(r.median_ms), String(r.p95_ms), String(GOALS.inboxMs), verdict(r.p95_ms, GOALS.inboxMs)]),
    ];
    console.log(`\n${counts!.messages} messages, ${counts!.conversations} conversations; rebuildRollups ${(rebuild.ms / 1000).toFixed(1)} s\n`);
    console.log(table(rows));
    const result = {
      at: now.toISOString(),
      database: services.description,
      data: { ...counts!, generate_s: Math.round(generated.ms / 100) / 10 },
      rebuild_s: Math.round(rebuild.ms / 100) / 10,
      range,
      summary,
      page,
      baseline_raw_scan: baseline,
      reads: breakdown,
      inbox,
      goals: GOALS,
      summary_figures: { conversations: check.conversations, messages: check.messages, handoff_rate: check.handoff_rate, latency_ms: check.latency_ms },
    };
    const out = path.join(process.cwd(), "bench/results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "analytics.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\n${JSON.stringify(result)}`);
  } finally {
    await handle.close();
    await cleanup();
  }
}

main().catch(async (e) => {
  console.error(e);
  await cleanup();
  process.exit(1);
});
