import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { liveVersionIdSubquery } from "../flow-store/flow-service";

/** How the page names the conversations of no published version. */
export const STARTER_FLOW = { id: "starter", label: "Starter flow" } as const;

export type FlowVersionOption = { id: string; label: string; live: boolean };

export async function liveFlowVersionId(db: Db, tenantId: string): Promise<string | null> {
  const [row] = await queryRows<{ id: string | null }>(db, sql`select ${liveVersionIdSubquery(tenantId)} as id`);
  return row?.id ?? null;
}

/** The tenant's versions among `ids`, labelled "Flow name v3", live one first, then by name and newest version. */
export async function flowVersionOptions(db: Db, tenantId: string, ids: string[], liveId: string | null): Promise<FlowVersionOption[]> {
  if (ids.length === 0) return [];
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = await queryRows<{ id: string; name: string; version: number }>(
    db,
    sql`select v.id, f.name, v.version from flow_versions v join flows f on f.id = v.flow_id and f.tenant_id = v.tenant_id
      where v.tenant_id = ${tenantId}::uuid and v.id in (${list})`,
  );
  return rows
    .map((r) => ({ id: r.id, label: `${r.name} v${r.version}`, live: r.id === liveId, name: r.name, version: r.version }))
    .sort((a, b) => Number(b.live) - Number(a.live) || a.name.localeCompare(b.name) || b.version - a.version)
    .map(({ id, label, live }) => ({ id, label, live }));
}
