import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flows } from "@/db/schema";
import { timeAgo } from "@/lib/time-ago";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../tenants/audit";
import { canvasFor, type CanvasMeta } from "./canvas-meta";
import { requireDraftShape } from "./draft-shape";
import { withFreeName } from "./flow-names";
import { checkFlowDefinition, requireFlow } from "./flow-service";

// Plain SQL: drizzle leaves columns unqualified in RETURNING, where `updated_by` must name the flow's.
const editorEmail = sql<string | null>`(select u.email from users u where u.id = flows.updated_by)`;

/** Why a save based on an older revision was refused: who saved since, and when, so the editor can offer a choice. */
async function conflictWith(db: Db, tenantId: string, flowId: string, actorUserId: string | null): Promise<AppError> {
  const [latest] = await db
    .select({ draftRevision: flows.draftRevision, updatedAt: flows.updatedAt, updatedById: flows.updatedBy, updatedBy: editorEmail })
    .from(flows)
    .where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)));
  if (!latest) return new AppError("NOT_FOUND", "Flow not found.");
  const when = timeAgo(latest.updatedAt, new Date());
  const message =
    latest.updatedById !== null && latest.updatedById === actorUserId
      ? `You saved this flow in another window ${when}. Load that version or overwrite it with this one.`
      : `${latest.updatedBy ?? "Someone else"} saved this flow ${when}. Load their version or overwrite it with yours.`;
  return new AppError("CONFLICT", message, { updatedBy: latest.updatedBy, updatedAt: latest.updatedAt.toISOString(), draftRevision: latest.draftRevision });
}

export type SaveDraftInput = { flowId: string; definition: unknown; canvas: CanvasMeta; baseRevision: number };

/**
 * Stores the draft only if nobody saved since `baseRevision` (one conditional UPDATE, so two saves can
 * never both pass the check); otherwise nothing is stored and the CONFLICT names the other save.
 * Overwriting is a save based on the revision the conflict reported.
 */
export async function saveDraft(db: Db, tenantId: string, actorUserId: string | null, input: SaveDraftInput) {
  // A foreign or deleted flow is NOT_FOUND whatever the definition looks like.
  await requireFlow(db, tenantId, input.flowId);
  requireDraftShape(input.definition);
  const states = new Set(Object.keys(input.definition.states));
  const [saved] = await db
    .update(flows)
    .set({ draft: input.definition, canvas: canvasFor(input.canvas, states), draftRevision: sql`${flows.draftRevision} + 1`, updatedBy: actorUserId, updatedAt: new Date() })
    .where(and(eq(flows.id, input.flowId), eq(flows.tenantId, tenantId), eq(flows.draftRevision, input.baseRevision)))
    .returning({ draftRevision: flows.draftRevision, updatedAt: flows.updatedAt, updatedBy: editorEmail });
  if (!saved) throw await conflictWith(db, tenantId, input.flowId, actorUserId);
  const check = checkFlowDefinition(input.definition);
  return { ...saved, issues: check.ok ? check.warnings : check.issues, valid: check.ok };
}

/** A new flow with the draft and canvas of another; its versions stay with the original. */
export async function duplicateFlow(db: Db, tenantId: string, actorUserId: string | null, input: { flowId: string; name: string }) {
  const source = await requireFlow(db, tenantId, input.flowId);
  return withFreeName(db, tenantId, input.name, null, () =>
    db.transaction(async (tx) => {
      const [copy] = await tx.insert(flows).values({ tenantId, name: input.name, draft: source.draft, canvas: source.canvas, updatedBy: actorUserId }).returning();
      await recordAudit(tx, { tenantId, actorUserId, action: "flow.created", targetType: "flow", targetId: copy!.id, details: { duplicateOf: input.flowId } });
      return copy!;
    }),
  );
}

/** Only the name: the draft's revision and last editor stay, so an open editor saves on undisturbed. */
export async function renameFlow(db: Db, tenantId: string, actorUserId: string | null, input: { flowId: string; name: string }) {
  const flow = await requireFlow(db, tenantId, input.flowId);
  return withFreeName(db, tenantId, input.name, input.flowId, () =>
    db.transaction(async (tx) => {
      const [renamed] = await tx
        .update(flows)
        .set({ name: input.name })
        .where(and(eq(flows.id, input.flowId), eq(flows.tenantId, tenantId)))
        .returning({ id: flows.id, name: flows.name });
      if (!renamed) throw new AppError("NOT_FOUND", "Flow not found.");
      await recordAudit(tx, { tenantId, actorUserId, action: "flow.renamed", targetType: "flow", targetId: input.flowId, details: { from: flow.name, to: input.name } });
      return renamed;
    }),
  );
}
