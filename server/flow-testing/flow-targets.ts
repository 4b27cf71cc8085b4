import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flows, flowVersions } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { checkFlowDefinition, requireFlow } from "../flow-store/flow-service";
import { flowDefinitionSchema, type FlowDefinition } from "../flows/flow-schema";
import { buildFlowNlu } from "../pipeline/flow-nlu";
import type { ReplayFlow } from "./replay";
import type { FlowTarget } from "./test-case-schema";

/** A definition to test: a version's (number) or the stored draft's (version null, at its revision). */
export type TargetFlow = ReplayFlow & { version: number | null; draftRevision: number | null };

export const replayFlow = (flow: FlowDefinition): ReplayFlow => ({ flow, nlu: buildFlowNlu(flow) });

/** A draft is tested as it would be published: it must pass the validator that guards publishing. */
export function draftFlow(draft: unknown, draftRevision: number): TargetFlow {
  const check = checkFlowDefinition(draft);
  if (!check.ok) throw new AppError("VALIDATION_ERROR", "Fix the errors in this draft before testing it.", { issues: check.issues });
  return { ...replayFlow(check.flow), version: null, draftRevision };
}

export async function versionFlow(db: Db, tenantId: string, flowId: string, version: number): Promise<TargetFlow | null> {
  const [row] = await db
    .select({ definition: flowVersions.definition })
    .from(flowVersions)
    .where(and(eq(flowVersions.flowId, flowId), eq(flowVersions.tenantId, tenantId), eq(flowVersions.version, version)))
    .limit(1);
  return row ? { ...replayFlow(flowDefinitionSchema.parse(row.definition)), version, draftRevision: null } : null;
}

export async function publishedVersionNumber(db: Db, tenantId: string, flowId: string): Promise<number | null> {
  const [row] = await db
    .select({ version: flowVersions.version })
    .from(flows)
    .innerJoin(flowVersions, and(eq(flowVersions.id, flows.publishedVersionId), eq(flowVersions.tenantId, tenantId)))
    .where(and(eq(flows.id, flowId), eq(flows.tenantId, tenantId)))
    .limit(1);
  return row?.version ?? null;
}

/** The definition a target names; NOT_FOUND for another tenant's flow or a version that does not exist. */
export async function targetFlow(db: Db, tenantId: string, flowId: string, target: FlowTarget): Promise<TargetFlow> {
  const flow = await requireFlow(db, tenantId, flowId);
  if (target === "draft") return draftFlow(flow.draft, flow.draftRevision);
  const version = target === "published" ? await publishedVersionNumber(db, tenantId, flowId) : target;
  if (version === null) throw new AppError("NOT_FOUND", "This flow has no published version yet.");
  const found = await versionFlow(db, tenantId, flowId, version);
  if (!found) throw new AppError("NOT_FOUND", `Version ${version} of this flow does not exist.`);
  return found;
}

/** What a target's intent metrics are shown beside: the published version for a draft, else the version before. */
export async function previousFlow(db: Db, tenantId: string, flowId: string, target: TargetFlow): Promise<TargetFlow | null> {
  const previous = target.version === null ? await publishedVersionNumber(db, tenantId, flowId) : target.version - 1;
  return previous === null || previous < 1 ? null : versionFlow(db, tenantId, flowId, previous);
}
