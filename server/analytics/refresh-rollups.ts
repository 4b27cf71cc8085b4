import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { conversationDayStatements, messageDayStatements, type DayScope } from "./rollup-statements";

/*
 * The rollups are kept by recounting whole (tenant, local day) slices, never by adding deltas, so a refresh
 * that runs twice, or overlaps another, leaves the same rows. A refresh recounts the days that anything
 * written since the last one touches: message days by the messages' own created_at, conversation days by
 * the start day of every conversation whose updated_at moved (an agent reply or a resolution bumps it, and
 * the figures of its start day change).
 */

/** Rows committed late (a turn's transaction that began before the last refresh) are still picked up. */
const OVERLAP = "5 minutes";

type Dirty = { messageDays: string[]; conversationDays: string[] };

async function days(db: Db, query: ReturnType<typeof sql>): Promise<string[]> {
  const rows = await queryRows<{ day: string | Date }>(db, query);
  return rows.map((r) => (r.day instanceof Date ? r.day.toISOString().slice(0, 10) : String(r.day).slice(0, 10)));
}

async function changedDays(db: Db, tenantId: string, timeZone: string, watermark: Date): Promise<Dirty> {
  const since = sql`(${watermark.toISOString()}::timestamptz - interval '${sql.raw(OVERLAP)}')`;
  const [messageDays, conversationDays] = [
    await days(db, sql`select distinct (created_at at time zone ${timeZone})::date::text as day from messages where tenant_id = ${tenantId}::uuid and created_at > ${since}`),
    await days(db, sql`select distinct (created_at at time zone ${timeZone})::date::text as day from conversations where tenant_id = ${tenantId}::uuid and updated_at > ${since}`),
  ];
  return { messageDays, conversationDays };
}

/** Every local day from the tenant's first conversation to its last message or conversation. */
async function allDays(db: Db, tenantId: string, timeZone: string): Promise<Dirty> {
  const every = await days(
    db,
    sql`select d::date::text as day from (
        select least((select min(created_at) from conversations where tenant_id = ${tenantId}::uuid), (select min(created_at) from messages where tenant_id = ${tenantId}::uuid)) as lo,
               greatest((select max(created_at) from conversations where tenant_id = ${tenantId}::uuid), (select max(created_at) from messages where tenant_id = ${tenantId}::uuid)) as hi
      ) b cross join lateral generate_series((b.lo at time zone ${timeZone})::date, (b.hi at time zone ${timeZone})::date, interval '1 day') as d
      where b.lo is not null`,
  );
  return { messageDays: every, conversationDays: every };
}

const ROLLUP_TABLES = ["rollup_message_days", "rollup_conversation_days", "rollup_user_days", "rollup_intent_days", "rollup_durations", "rollup_funnel_days"] as const;

/** `minGapMs`: leave a tenant whose rollups were refreshed less than that long before `now` (by another process) as they are. */
type RecountOptions = { rebuild: boolean; now: Date; minGapMs?: number };

/** Whether it recounted: false for a tenant that no longer exists, or one refreshed within `minGapMs`. */
async function recount(db: Db, tenantId: string, opts: RecountOptions): Promise<boolean> {
  return db.transaction(async (tx) => {
    // One refresh per tenant at a time: two would delete and insert the same day's rows at once.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('analytics-rollups:' || ${tenantId}))`);
    const [tenant] = await queryRows<{ time_zone: string; refreshed_through: Date | string | null }>(
      tx,
      sql`select t.time_zone, w.refreshed_through from tenants t left join rollup_watermarks w on w.tenant_id = t.id where t.id = ${tenantId}::uuid`,
    );
    if (!tenant) return false;
    // Read after the lock: every app process runs the periodic job, their ticks start together, and the one
    // that waited here would otherwise recount the same day slices again at once.
    const refreshedAt = tenant.refreshed_through === null ? null : new Date(tenant.refreshed_through);
    if (!opts.rebuild && refreshedAt && opts.minGapMs && opts.now.getTime() - refreshedAt.getTime() < opts.minGapMs) return false;
    const timeZone = tenant.time_zone;
    const rebuild = opts.rebuild || refreshedAt === null;
    if (rebuild) {
      for (const table of ROLLUP_TABLES) await tx.execute(sql`delete from ${sql.identifier(table)} where tenant_id = ${tenantId}::uuid`);
    }
    const dirty = rebuild ? await allDays(tx, tenantId, timeZone) : await changedDays(tx, tenantId, timeZone, refreshedAt!);
    const scope = (day: string): DayScope => ({ tenantId, day, timeZone });
    for (const day of dirty.messageDays) for (const statement of messageDayStatements(scope(day))) await tx.execute(statement);
    for (const day of dirty.conversationDays) for (const statement of conversationDayStatements(scope(day))) await tx.execute(statement);
    await tx.execute(sql`insert into rollup_watermarks (tenant_id, refreshed_through) values (${tenantId}::uuid, ${opts.now.toISOString()}::timestamptz)
      on conflict (tenant_id) do update set refreshed_through = excluded.refreshed_through`);
    return true;
  });
}

/** Brings the tenant's rollups up to date with everything written before `now`; cheap when little changed. */
export async function refreshRollups(db: Db, tenantId: string, now: Date = new Date()): Promise<void> {
  await recount(db, tenantId, { rebuild: false, now });
}

/** Recounts every day from scratch: after the tenant's time zone changed, every day's bounds moved. */
export async function rebuildRollups(db: Db, tenantId: string, now: Date = new Date()): Promise<void> {
  await recount(db, tenantId, { rebuild: true, now });
}

/**
 * Refreshes every tenant with conversations changed since its last refresh (the periodic job); returns how
 * many it recounted. With `minGapMs` (the job's interval), a tenant any process refreshed within that time
 * is left to the next tick, so the work per tick does not grow with the number of app processes.
 */
export async function refreshAllRollups(db: Db, now: Date = new Date(), { minGapMs = 0 }: { minGapMs?: number } = {}): Promise<number> {
  const tenants = await queryRows<{ id: string }>(
    db,
    sql`select t.id from tenants t left join rollup_watermarks w on w.tenant_id = t.id
      where exists (select 1 from conversations c where c.tenant_id = t.id
        and c.updated_at > coalesce(w.refreshed_through - interval '${sql.raw(OVERLAP)}', '-infinity'::timestamptz))`,
  );
  let recounted = 0;
  for (const { id } of tenants) if (await recount(db, id, { rebuild: false, now, minGapMs })) recounted++;
  return recounted;
}
