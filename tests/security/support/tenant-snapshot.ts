import { eq, getTableColumns, getTableName, inArray, is, type Column } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";

// Every table that holds tenant data carries tenant_id (GUIDE.md), so a table added later is snapshotted without anyone listing it here.
const tenantTables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable) && "tenantId" in getTableColumns(value));

const serialize = (row: unknown) => JSON.stringify(row, (_key, value) => (typeof value === "bigint" ? value.toString() : value));

/** Every stored row of one tenant (its own tenant row and its members' user rows included), as sorted JSON lines per table. */
export async function snapshotTenant(db: Db, tenantId: string): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of tenantTables) {
    const tenantColumn = (getTableColumns(table) as Record<string, Column>).tenantId!;
    const rows = await db.select().from(table).where(eq(tenantColumn, tenantId));
    snapshot[getTableName(table)] = rows.map(serialize).sort();
  }
  snapshot.tenants = (await db.select().from(schema.tenants).where(eq(schema.tenants.id, tenantId))).map(serialize);
  const memberIds = (await db.select({ userId: schema.memberships.userId }).from(schema.memberships).where(eq(schema.memberships.tenantId, tenantId))).map((m) => m.userId);
  snapshot.users = memberIds.length ? (await db.select().from(schema.users).where(inArray(schema.users.id, memberIds))).map(serialize).sort() : [];
  return snapshot;
}
