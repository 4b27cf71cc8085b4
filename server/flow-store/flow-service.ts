import { and, desc, eq, max, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { flows, flowVersions, users } from "@/db/schema";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { flowDefinitionSchema, type FlowDefinition, type FlowDefinitionInput } from "../flows/flow-schema";
import { validateFlow } from "../flows/validate-flow";
import { failedTestsError, testDraft } from "../flow-testing/publish-gate";
import { recordAudit } from "../tenants/audit";
import { canvasFor, canvasMetaSchema } from "./canvas-meta";
import { requireDraftShape } from "./draft-shape";
import { withFreeName } from "./flow-names";
import { templateDefinition, type TemplateId } from "./templates";

const publishedVersion = (tenantId: string) => and(eq(flowVersions.id, flows.publishedVersionId), eq(flowVersions.tenantId, tenantId));
/** The last editor, next to the publisher (`users`). */
const editors = alias(users, "editors");

/** Whether the flow's published version is the one new conversations get: the same subquery the turn uses. */
const isLive = (tenantId: string) => sql<boolean>`coalesce(${flowVersions.id} = ${liveVersionIdSubquery(tenantId)}, false)`;

export async function listFlows(db: Db, tenantId: string) {
  return db
    .select({
      id: flows.id,
      name: flows.name,
      updatedAt: flows.updatedAt,
      updatedBy: editors.email,
      publishedVersion: flowVersions.version,
      publishedAt: flowVersions.createdAt,
      publishedBy: users.email,
      live: isLive(tenantId),
      // Drafts are flow-shaped (draft-shape.ts); one stored before that was checked must not break the list.
      stateCount: sql<number>`case when jsonb_typeof(${flows.draft} -> 'states') = 'object' then (select count(*) from jsonb_object_keys(${flows.draft} -> 'states')) else 0 end`.mapWith(Number),
    })
    .from(flows)
    .leftJoin(flowVersions, publishedVersion(tenantId))
    .leftJoin(users, eq(users.id, flowVersions.createdBy))
    .leftJoin(editors, eq(editors.id, flows.updatedBy))
    .where(eq(flows.tenantId, tenantId))
    .orderBy(desc(flows.updatedAt));
}

/** validateFlow with this deployment's outbound exceptions, so the editor and publishing agree. */
export function checkFlowDefinition(definition: unknown) {
  return validateFlow(definition, { allowedHosts: env().OUTBOUND_ALLOWED_HOSTS });
}

export async function requireFlow(db: Db, tenantId: string, flowId: string) {
  const [flow] = await db.select().from(flows).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId))).limit(1);
  if (!flow) throw new AppError("NOT_FOUND", "Flow not found.");
  return flow;
}

/** A stored draft, checked against the schema every save checked it with (defaults are not filled in: it stays as written). */
export function storedDraft(draft: unknown): FlowDefinitionInput {
  if (!flowDefinitionSchema.safeParse(draft).success) throw new AppError("INTERNAL_ERROR", "This flow's stored draft is not a flow definition. Import a corrected copy of it.");
  return draft as FlowDefinitionInput;
}

export async function getFlow(db: Db, tenantId: string, flowId: string) {
  const [flow] = await db
    .select({
      id: flows.id,
      name: flows.name,
      draft: flows.draft,
      canvas: flows.canvas,
      draftRevision: flows.draftRevision,
      updatedAt: flows.updatedAt,
      updatedBy: editors.email,
      publishedVersion: flowVersions.version,
      live: isLive(tenantId),
    })
    .from(flows)
    .leftJoin(flowVersions, publishedVersion(tenantId))
    .leftJoin(editors, eq(editors.id, flows.updatedBy))
    .where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)))
    .limit(1);
  if (!flow) throw new AppError("NOT_FOUND", "Flow not found.");
  const { live, ...rest } = flow;
  const check = checkFlowDefinition(flow.draft);
  return {
    ...rest,
    draft: storedDraft(flow.draft),
    canvas: canvasMetaSchema.parse(flow.canvas),
    liveVersion: live ? flow.publishedVersion : null,
    issues: check.ok ? check.warnings : check.issues,
    valid: check.ok,
  };
}

/** From an imported definition, a template, or (neither) the blank flow. */
export async function createFlow(db: Db, tenantId: string, actorUserId: string | null, input: { name: string; template?: TemplateId; definition?: unknown }) {
  if (input.template !== undefined && input.definition !== undefined) {
    const message = "Start from a template or import a definition, not both.";
    throw new AppError("VALIDATION_ERROR", message, { fields: { template: message } });
  }
  const definition = input.definition ?? templateDefinition(input.template);
  requireDraftShape(definition);
  return withFreeName(db, tenantId, input.name, null, () =>
    db.transaction(async (tx) => {
      const [flow] = await tx.insert(flows).values({ tenantId, name: input.name, draft: definition, updatedBy: actorUserId }).returning();
      const details = input.template ? { template: input.template } : {};
      await recordAudit(tx, { tenantId, actorUserId, action: "flow.created", targetType: "flow", targetId: flow!.id, details });
      return flow!;
    }),
  );
}

/** Locks the flow's row for the rest of the transaction, so publishes, roll backs and deletes of it run one at a time. */
async function lockFlow(tx: Db, tenantId: string, flowId: string) {
  const [flow] = await tx
    .select({ name: flows.name, draft: flows.draft, draftRevision: flows.draftRevision, canvas: flows.canvas, live: isLive(tenantId) })
    .from(flows)
    .leftJoin(flowVersions, publishedVersion(tenantId))
    .where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)))
    .for("update", { of: flows });
  if (!flow) throw new AppError("NOT_FOUND", "Flow not found.");
  return flow;
}

function requirePublishable(definition: unknown, refusal = "This flow has errors and cannot be published."): FlowDefinition {
  const check = checkFlowDefinition(definition);
  if (!check.ok) throw new AppError("VALIDATION_ERROR", refusal, { issues: check.issues });
  return check.flow;
}

type NewVersion = { tenantId: string; flowId: string; actorUserId: string | null; definition: FlowDefinition; note: string | null; restoredFrom: number | null };

/** The next version number under the row lock (lockFlow), made the flow's published version. */
async function addVersion(tx: Db, v: NewVersion) {
  const [{ latest } = { latest: 0 }] = await tx.select({ latest: max(flowVersions.version) }).from(flowVersions).where(eq(flowVersions.flowId, v.flowId));
  const [version] = await tx
    .insert(flowVersions)
    .values({ tenantId: v.tenantId, flowId: v.flowId, version: (latest ?? 0) + 1, definition: v.definition, note: v.note, restoredFrom: v.restoredFrom, createdBy: v.actorUserId })
    .returning();
  await tx.update(flows).set({ publishedVersionId: version!.id }).where(and(eq(flows.id, v.flowId), eq(flows.tenantId, v.tenantId)));
  return version!;
}

const noteOf = (note: string | undefined) => note?.trim() || null;

/**
 * Publishes the stored draft (not what an editor may still hold unsaved) as an immutable version, once the
 * flow's test cases pass against it. A failing case refuses the publish (CONFLICT, with the run's results)
 * unless the admin confirms; either way the run (when the flow has cases) is stored in flow_test_runs.
 */
export async function publishFlow(db: Db, tenantId: string, actorUserId: string | null, flowId: string, note?: string, opts: { confirmFailures?: boolean } = {}) {
  const outcome = await db.transaction(async (tx) => {
    const flow = await lockFlow(tx, tenantId, flowId);
    const definition = requirePublishable(flow.draft);
    const tests = await testDraft(tx, tenantId, flowId, definition, flow.draftRevision);
    if (tests.outcome.failed > 0 && !opts.confirmFailures) return { published: false as const, tests };
    const version = await addVersion(tx, { tenantId, flowId, actorUserId, definition, note: noteOf(note), restoredFrom: null });
    // A flow without test cases ran none: there is no run to keep.
    if (tests.outcome.cases.length > 0) await tests.record(tx, actorUserId);
    const details = { version: version.version, ...(tests.outcome.failed > 0 && { test_cases_failed: tests.outcome.failed }) };
    await recordAudit(tx, { tenantId, actorUserId, action: "flow.published", targetType: "flow", targetId: flowId, details });
    return { published: true as const, version, tests };
  });
  if (!outcome.published) throw failedTestsError(outcome.tests.outcome, await outcome.tests.record(db, actorUserId));
  return { ...outcome.version, tests: { passed: outcome.tests.outcome.passed, failed: outcome.tests.outcome.failed } };
}

/**
 * Publishes an older version's definition again, as a new version, and makes it the draft, so the
 * editor shows what is live. It is validated again: a rule added since (say, a blocked host) holds for it too.
 * The bumped draft revision makes an editor still holding the replaced draft get a conflict, not overwrite this.
 */
export async function rollbackFlow(db: Db, tenantId: string, actorUserId: string | null, input: { flowId: string; version: number; note?: string }) {
  const { flowId } = input;
  return db.transaction(async (tx) => {
    const flow = await lockFlow(tx, tenantId, flowId);
    const [old] = await tx
      .select({ definition: flowVersions.definition })
      .from(flowVersions)
      .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.tenantId, tenantId), eq(flowVersions.version, input.version)))
      .limit(1);
    if (!old) throw new AppError("NOT_FOUND", `Version ${input.version} of this flow does not exist.`);
    const definition = requirePublishable(old.definition, `Version ${input.version} no longer passes the checks publishing makes, so it cannot be published again.`);
    const version = await addVersion(tx, { tenantId, flowId, actorUserId, definition, note: noteOf(input.note), restoredFrom: input.version });
    const canvas = canvasFor(canvasMetaSchema.parse(flow.canvas), new Set(Object.keys(definition.states)));
    const [draft] = await tx
      .update(flows)
      .set({ draft: definition, canvas, draftRevision: sql`${flows.draftRevision} + 1`, updatedBy: actorUserId, updatedAt: new Date() })
      .where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)))
      .returning({ draftRevision: flows.draftRevision });
    await recordAudit(tx, { tenantId, actorUserId, action: "flow.rolled_back", targetType: "flow", targetId: flowId, details: { from: input.version, version: version.version } });
    return { ...version, draftRevision: draft!.draftRevision };
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
    const flow = await lockFlow(tx, tenantId, flowId);
    if (flow.live) throw new AppError("CONFLICT", `"${flow.name}" answers new conversations, so it cannot be deleted. Publish another flow first.`);
    await tx.delete(flows).where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)));
    await recordAudit(tx, { tenantId, actorUserId, action: "flow.deleted", targetType: "flow", targetId: flowId, details: { name: flow.name } });
  });
}

/** The id of the tenant's live (most recently published) version, as a scalar subquery for the turn's lock statement. */
export function liveVersionIdSubquery(tenant: string | SQL): SQL {
  return sql`(select fv.id from flows f join flow_versions fv on fv.id = f.published_version_id and fv.tenant_id = f.tenant_id
    where f.tenant_id = ${typeof tenant === "string" ? sql`${tenant}::uuid` : tenant} order by fv.created_at desc limit 1)`;
}

/** Reads one of the tenant's versions; a statement so it can run inside a turn's transaction. */
export function flowVersionStatement(tenantId: string, versionId: string): SQL {
  return sql`select definition from flow_versions where id = ${versionId}::uuid and tenant_id = ${tenantId}::uuid`;
}
