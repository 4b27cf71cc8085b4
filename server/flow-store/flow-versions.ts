import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flowVersions, users } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { liveVersionIdSubquery, requireFlow } from "./flow-service";

const summary = (tenantId: string) => ({
  version: flowVersions.version,
  note: flowVersions.note,
  createdAt: flowVersions.createdAt,
  createdBy: users.email,
  restoredFrom: flowVersions.restoredFrom,
  live: sql<boolean>`coalesce(${flowVersions.id} = ${liveVersionIdSubquery(tenantId)}, false)`,
});

/** Every version of the flow, newest first: none is ever dropped. */
export async function listVersions(db: Db, tenantId: string, flowId: string) {
  await requireFlow(db, tenantId, flowId);
  return db
    .select(summary(tenantId))
    .from(flowVersions)
    .leftJoin(users, eq(users.id, flowVersions.createdBy))
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.tenantId, tenantId)))
    .orderBy(desc(flowVersions.version));
}

export async function getVersion(db: Db, tenantId: string, flowId: string, version: number) {
  const [found] = await db
    .select({ ...summary(tenantId), definition: flowVersions.definition })
    .from(flowVersions)
    .leftJoin(users, eq(users.id, flowVersions.createdBy))
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.tenantId, tenantId), eq(flowVersions.version, version)))
    .limit(1);
  if (!found) throw new AppError("NOT_FOUND", `Version ${version} of this flow does not exist.`);
  return found;
}
