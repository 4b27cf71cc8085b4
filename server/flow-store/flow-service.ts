import { and, desc, eq, isNotNull, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flows, flowVersions } from "@/db/schema";
import { AppError } from "../errors/app-error";
import type { FlowDefinition } from "../flows/flow-schema";
import { validateFlow } from "../flows/validate-flow";
import { recordAudit } from "../tenants/audit";

export async function listFlows(db: Db, tenantId: string) {
  return db
    .select({ id: flows.id, name: flows.name, updatedAt: flows.updatedAt, publishedVersion: flowVersions.version, publishedAt: flowVersions.createdAt })
    .from(flows)
    .leftJoin(flowVersions, and(eq(flowVersions.id, flows.publishedVersionId), eq(flowVersions.tenantId, tenantId)))
    .where(eq(flows.tenantId, tenantId))
    .orderBy(desc(flows.updatedAt));
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
  const check = validateFlow(flow.draft);
  return { ...flow, versions, issues: check.ok ? check.warnings : check.issues, valid: check.ok };
}

/** Drafts are stored even when invalid, so nothing typed is lost; publishing is what demands validity. */
export async function createFlow(db: Db, tenantId: string, actorUserId: string | null, input: { name: string; definition: unknown }) {
  const [clash] = await db.select({ id: flows.id }).from(flows).where(and(eq(flows.tenantId, tenantId), eq(flows.name, input.name))).limit(1);
  if (clash) throw new AppError("CONFLICT", `A flow named "${input.name}" already exists.`, { field: "name" });
  const [flow] = await db.insert(flows).values({ tenantId, name: input.name, draft: input.definition }).returning();
  await recordAudit(db, { tenantId, actorUserId, action: "flow.created", targetType: "flow", targetId: flow!.id });
  return flow!;
}

export async function saveDraft(db: Db, tenantId: string, flowId: string, definition: unknown) {
  await requireFlow(db, tenantId, flowId);
  await db.update(flows).set({ draft: definition, updatedAt: new Date() }).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)));
  return getFlow(db, tenantId, flowId);
}

export async function publishFlow(db: Db, tenantId: string, actorUserId: string | null, flowId: string) {
  const flow = await requireFlow(db, tenantId, flowId);
  const check = validateFlow(flow.draft);
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

export type PublishedFlow = { versionId: string; definition: FlowDefinition };

/** The tenant's live flow: the most recently published version of any of its flows. */
export async function findLiveFlowVersion(db: Db, tenantId: string): Promise<PublishedFlow | null> {
  const [row] = await db
    .select({ versionId: flowVersions.id, definition: flowVersions.definition })
    .from(flows)
    .innerJoin(flowVersions, and(eq(flowVersions.id, flows.publishedVersionId), eq(flowVersions.tenantId, tenantId)))
    .where(and(eq(flows.tenantId, tenantId), isNotNull(flows.publishedVersionId)))
    .orderBy(desc(flowVersions.createdAt))
    .limit(1);
  return row ? { versionId: row.versionId, definition: row.definition as FlowDefinition } : null;
}

export async function findFlowVersion(db: Db, tenantId: string, versionId: string): Promise<PublishedFlow | null> {
  const [row] = await db
    .select({ versionId: flowVersions.id, definition: flowVersions.definition })
    .from(flowVersions)
    .where(and(eq(flowVersions.id, versionId), eq(flowVersions.tenantId, tenantId)))
    .limit(1);
  return row ? { versionId: row.versionId, definition: row.definition as FlowDefinition } : null;
}
