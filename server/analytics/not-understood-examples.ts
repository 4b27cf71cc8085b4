import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import type { DayRange } from "./local-days";

export type NotUnderstoodExample = { message_id: string; conversation_id: string; text: string; created_at: string };

/**
 * The latest inbound messages the bot did not understand: the one raw read behind the analytics, bounded by
 * its LIMIT and walked newest first along (tenant_id, created_at).
 */
export async function notUnderstoodExamples(db: Db, tenantId: string, timeZone: string, range: DayRange, limit = 10): Promise<NotUnderstoodExample[]> {
  const rows = await queryRows<{ message_id: string; conversation_id: string; text: string | null; created_at: Date | string }>(
    db,
    sql`select m.id as message_id, m.conversation_id, m.text, m.created_at
      from messages m join conversations c on c.id = m.conversation_id and c.tenant_id = m.tenant_id
      where m.tenant_id = ${tenantId}::uuid
        and m.created_at >= (${range.from}::date::timestamp at time zone ${timeZone})
        and m.created_at < ((${range.to}::date + 1)::timestamp at time zone ${timeZone})
        and m.direction = 'inbound' and m.metadata->'not_understood' = 'true'::jsonb and not c.sandbox
      order by m.created_at desc limit ${limit}`,
  );
  return rows.map((r) => ({ message_id: r.message_id, conversation_id: r.conversation_id, text: r.text ?? "", created_at: new Date(r.created_at).toISOString() }));
}
