import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";

/**
 * How long a handled webhook event is kept. Long enough that a platform's late redelivery is still
 * recognised as one (Meta retries for up to 7 days, Slack within minutes); the turn it started and its
 * messages are kept as long as the conversation, so nothing a user sees goes with it.
 */
export const INBOX_RETENTION_DAYS = 14;
const BATCH = 5_000;
/** A run stops after this many batches and goes on at the next, so one run never holds the database long. */
const MAX_BATCHES = 20;

/** Deletes handled (done or failed) webhook events older than the retention, in batches; returns how many went. */
export async function pruneWebhookInbox(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - INBOX_RETENTION_DAYS * 86_400_000).toISOString();
  let removed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`with gone as (
          delete from webhook_inbox where id in (
            select id from webhook_inbox where state in ('done', 'failed') and coalesce(processed_at, received_at) < ${cutoff}::timestamptz limit ${BATCH}
          ) returning 1)
        select count(*)::int as n from gone`,
    );
    const n = rows[0]?.n ?? 0;
    removed += n;
    if (n < BATCH) break;
  }
  return removed;
}
