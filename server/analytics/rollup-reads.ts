import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import type { ChannelType, DurationMetric } from "@/db/schema";
import type { DayRange } from "./local-days";

/*
 * Reads of the rollup tables over a range of local days. Every read is scoped to one tenant and answered
 * from the (tenant_id, day) indexes; sums are cast so both drivers return plain numbers.
 */

const inRange = (tenantId: string, range: DayRange) => sql`tenant_id = ${tenantId}::uuid and day between ${range.from}::date and ${range.to}::date`;

export type MessageDayRow = { day: string; channel: ChannelType; inbound: number; outbound: number; bot_turns: number; not_understood: number; model_calls: number; cost_cents: number };
export function messageDays(db: Db, tenantId: string, range: DayRange): Promise<MessageDayRow[]> {
  return queryRows(
    db,
    sql`select day::text as day, channel, sum(inbound)::int as inbound, sum(outbound)::int as outbound, sum(bot_turns)::int as bot_turns,
        sum(not_understood)::int as not_understood, sum(model_calls)::int as model_calls, sum(cost_cents)::float8 as cost_cents
      from rollup_message_days where ${inRange(tenantId, range)} group by day, channel order by day, channel`,
  );
}

export type ConversationDayRow = { day: string; channel: ChannelType; started: number; handed_off: number; human_answered: number; resolved: number };
export function conversationDays(db: Db, tenantId: string, range: DayRange): Promise<ConversationDayRow[]> {
  return queryRows(
    db,
    sql`select day::text as day, channel, sum(started)::int as started, sum(handed_off)::int as handed_off, sum(human_answered)::int as human_answered, sum(resolved)::int as resolved
      from rollup_conversation_days where ${inRange(tenantId, range)} group by day, channel order by day, channel`,
  );
}

export type ActiveUsers = { total: number; new: number; returning: number };
export async function activeUsers(db: Db, tenantId: string, range: DayRange): Promise<ActiveUsers> {
  const [row] = await queryRows<{ total: number; new: number }>(
    db,
    // Grouped first (a hash aggregate), then counted: cheaper than two count(distinct) sorts. first_day is the same on all of a user's rows.
    sql`select count(*)::int as total, count(*) filter (where first_day >= ${range.from}::date)::int as new
      from (select end_user_id, min(first_day) as first_day from rollup_user_days where ${inRange(tenantId, range)} group by end_user_id) u`,
  );
  const total = row?.total ?? 0;
  const fresh = row?.new ?? 0;
  return { total, new: fresh, returning: total - fresh };
}

/** Per day: users whose first conversation was that day, and the others active that day. */
export function activeUsersByDay(db: Db, tenantId: string, range: DayRange): Promise<{ day: string; new: number; returning: number }[]> {
  return queryRows(
    db,
    sql`select day::text as day, count(*) filter (where first_day = day)::int as new, count(*) filter (where first_day < day)::int as returning
      from rollup_user_days where ${inRange(tenantId, range)} group by day order by day`,
  );
}

export type Distribution = { metric: DurationMetric; count: number; p50: number | null; p95: number | null };

/*
 * Nearest-rank percentiles (what percentile_disc returns over the raw values) of the stored (value, count)
 * distributions: the smallest value whose running count reaches ceil(p * total).
 */
const P50 = (total: SQL) => sql`min(value) filter (where running >= ceil(0.5 * ${total}))`;
const P95 = (total: SQL) => sql`min(value) filter (where running >= ceil(0.95 * ${total}))`;

/** Over the whole range, per metric. */
export function distributions(db: Db, tenantId: string, range: DayRange, metrics: DurationMetric[]): Promise<Distribution[]> {
  const list = sql.join(metrics.map((m) => sql`${m}`), sql`, `);
  return queryRows(
    db,
    sql`with d as (
        select metric, value, sum(count)::bigint as n from rollup_durations
        where tenant_id = ${tenantId}::uuid and metric in (${list}) and day between ${range.from}::date and ${range.to}::date group by metric, value
      ), c as (
        select metric, value, sum(n) over (partition by metric order by value) as running, sum(n) over (partition by metric) as total from d
      )
      select metric, total::int as count, ${P50(sql`total`)} as p50, ${P95(sql`total`)} as p95 from c group by metric, total order by metric`,
  );
}

export type DayPercentiles = { day: string; count: number; p50: number | null; p95: number | null };

/**
 * Per day, one metric. Each day's running count is taken over that day's rows alone (one row per value), so
 * every sort is a day's worth, in memory, rather than one sort over the whole range.
 */
export function dailyPercentiles(db: Db, tenantId: string, range: DayRange, metric: DurationMetric): Promise<DayPercentiles[]> {
  return queryRows(
    db,
    sql`select t.day::text as day, t.total::int as count, p.p50, p.p95
      from (select day, sum(count)::bigint as total from rollup_durations
        where tenant_id = ${tenantId}::uuid and metric = ${metric} and day between ${range.from}::date and ${range.to}::date group by day) t
      cross join lateral (
        select ${P50(sql`t.total`)} as p50, ${P95(sql`t.total`)} as p95
        from (select value, sum(count) over (order by value) as running from rollup_durations r
          where r.tenant_id = ${tenantId}::uuid and r.metric = ${metric} and r.day = t.day) x
      ) p order by t.day`,
  );
}

export type IntentCount = { intent: string; count: number };
export function topIntents(db: Db, tenantId: string, range: DayRange, limit = 10): Promise<IntentCount[]> {
  return queryRows(
    db,
    sql`select intent, sum(count)::int as count from rollup_intent_days where ${inRange(tenantId, range)}
      group by intent order by sum(count) desc, intent limit ${limit}`,
  );
}

export type FunnelStep = { state: string; reached: number };
/** `flowVersionId` null: conversations of the starter flow (no published version). */
export function funnel(db: Db, tenantId: string, range: DayRange, flowVersionId: string | null): Promise<FunnelStep[]> {
  const version = flowVersionId === null ? sql`flow_version_id is null` : sql`flow_version_id = ${flowVersionId}::uuid`;
  return queryRows(
    db,
    sql`select state, sum(reached)::int as reached from rollup_funnel_days where ${inRange(tenantId, range)} and ${version}
      group by state order by sum(reached) desc, state`,
  );
}

/** Versions with conversations started in the range (null: the starter flow). */
export async function funnelVersionIds(db: Db, tenantId: string, range: DayRange): Promise<(string | null)[]> {
  const rows = await queryRows<{ id: string | null }>(db, sql`select distinct flow_version_id as id from rollup_funnel_days where ${inRange(tenantId, range)}`);
  return rows.map((r) => r.id);
}
