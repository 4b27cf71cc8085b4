import { and, desc, eq, max, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flows, flowVersions, users } from "@/db/schema";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { validateFlow } from "../flows/validate-flow";
import { recordAudit } from "../tenants/audit";
import { draftShapeProblems } from "./draft-shape";

const publishedVersion = (tenantId: string) => and(eq(flowVersions.id, flows.publishedVersionId), eq(flowVersions.tenantId, tenantId));

/** Whether the flow's published version is the one new conversations get: the same subquery the turn uses. */
const isLive = (tenantId: string) => sql<boolean>`coalesce(${flowVersions.id} = ${liveVersionIdSubquery(tenantId)}, false)`;

export async function listFlows(db: Db, tenantId: string) {
  return db
    .select({
      id: flows.id,
      name: flows.name,
      updatedAt: flows.updatedAt,
      publishedVersion: flowVersions.version,
      publishedAt: flowVersions.createdAt,
      publishedBy: users.email,
      live: isLive(tenantId),
    })
    .from(flows)
    .leftJoin(flowVersions, publishedVersion(tenantId))
    .leftJoin(users, eq(users.id, flowVersions.createdBy))
    .where(eq(flows.tenantId, tenantId))
    .orderBy(desc(flows.updatedAt));
}

/** validateFlow with this deployment's outbound exceptions, so the editor and publishing agree. */
export function checkFlowDefinition(definition: unknown) {
  return validateFlow(definition, { allowedHosts: env().OUTBOUND_ALLOWED_HOSTS });
}

async function requireFlow(db: Db, tenantId: string, flowId: string) {
  const [flow] = await db.select().from(flows).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId))).limit(1);
  if (!flow) throw new AppError("NOT_FOUND", "Flow not found.");
  return flow;
}

export async function getFlow(db: Db, tenantId: string, flowId: string) {
  const flow = await requireFlow(db, tenantId, flowId);
  const versions = await db
    .select({ id: flowVersions.id, version: flowVersions.version, createdAt: flowVersions.createdAt })
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.tenantId, tenantId)))
    .orderBy(desc(flowVersions.version));
  const check = checkFlowDefinition(flow.draft);
  return { ...flow, versions, issues: check.ok ? check.warnings : check.issues, valid: check.ok };
}

/** A draft must have the flow's shape; what only publishing demands may still be missing (see draft-shape.ts). */
function requireDraftShape(definition: unknown): void {
  const issues = draftShapeProblems(definition);
  if (issues.length) throw new AppError("VALIDATION_ERROR", "This is not a flow definition yet, so nothing was saved. Fix these and try again:", { issues });
}

export async function createFlow(db: Db, tenantId: string, actorUserId: string | null, input: { name: string; definition: unknown }) {
  requireDraftShape(input.definition);
  const [clash] = await db.select({ id: flows.id }).from(flows).where(and(eq(flows.tenantId, tenantId), eq(flows.name, input.name))).limit(1);
  if (clash) throw new AppError("CONFLICT", `A flow named "${input.name}" already exists.`, { field: "name" });
  const [flow] = await db.insert(flows).values({ tenantId, name: input.name, draft: input.definition }).returning();
  await recordAudit(db, { tenantId, actorUserId, action: "flow.created", targetType: "flow", targetId: flow!.id });
  return flow!;
}

export async function saveDraft(db: Db, tenantId: string, flowId: string, definition: unknown) {
  await requireFlow(db, tenantId, flowId);
  requireDraftShape(definition);
  await db.update(flows).set({ draft: definition, updatedAt: new Date() }).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)));
  return getFlow(db, tenantId, flowId);
}

export async function publishFlow(db: Db, tenantId: string, actorUserId: string | null, flowId: string) {
  const flow = await requireFlow(db, tenantId, flowId);
  const check = checkFlowDefinition(flow.draft);
  if (!check.ok) throw new AppError("VALIDATION_ERROR", "This flow has errors and cannot be published.", { issues: check.issues });
  return db.transaction(async (tx) => {
    const [{ latest } = { latest: 0 }] = await tx.select({ latest: max(flowVersions.version) }).from(flowVersions).where(eq(flowVersions.flowId, flowId));
    const [version] = await tx
      .insert(flowVersions)
      .values({ tenantId, flowId, version: (latest ?? 0) + 1, definition: check.flow, createdBy: actorUserId })
      .returning();
    await tx.update(flows).set({ publishedVersionId: version!.id, updatedAt: new Date() }).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)));
    await recordAudit(tx, { tenantId, actorUserId, action: "flow.published", targetType: "flow", targetId: flowId, details: { version: version!.version } });
    return version!;
  });
}

/**
 * Any flow but the live one: deleting that would silently hand new conversations to an older flow or the
 * starter flow. Its versions go with it; conversations that ran on them keep their messages, and one still
 * open on them carries on with the starter flow (flow-runtime.ts), as for any version that is gone.
 */
export async function deleteFlow(db: Db, tenantId: string, actorUserId: string | null, flowId: string): Promise<void> {
  await db.transaction(async (tx) => {
    // The row lock makes a concurrent publish of this flow wait, so "not live" still holds when it is deleted.
    const [flow] = await tx
      .select({ name: flows.name, live: isLive(tenantId) })
      .from(flows)
      .leftJoin(flowVersions, publishedVersion(tenantId))
      .where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)))
      .for("update", { of: flows });
    if (!flow) throw new AppError("NOT_FOUND", "Flow not found.");
    if (flow.live) throw new AppError("CONFLICT", `"${flow.name}" answers new conversations, so it cannot be deleted. Publish another flow first.`);
    await tx.delete(flows).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)));
    await recordAudit(tx, { tenantId, actorUserId, action: "flow.deleted", targetType: "flow", targetId: flowId, details: { name: flow.name } });
  });
}

/** The id of the tenant's live (most recently published) version, as a scalar subquery for the turn's lock statement. */
export function liveVersionIdSubquery(tenantId: string): SQL {
  return sql`(select fv.id from flows f join flow_versions fv on fv.id = f.published_version_id and fv.tenant_id = f.tenant_id
    where f.tenant_id = ${tenantId}::uuid order by fv.created_at desc limit 1)`;
}

/** Reads one of the tenant's versions; a statement so it can run inside a turn's transaction. */
export function flowVersionStatement(tenantId: string, versionId: string): SQL {
  return sql`select definition from flow_versions where id = ${versionId}::uuid and tenant_id = ${tenantId}::uuid`;
}
