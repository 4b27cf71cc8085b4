import { z } from "zod";
import { canvasMetaSchema } from "../../flow-store/canvas-meta";
import { duplicateFlow, renameFlow, saveDraft } from "../../flow-store/flow-drafts";
import { exportFlow } from "../../flow-store/flow-export";
import { checkFlowDefinition, createFlow, deleteFlow, getFlow, listFlows, publishFlow, rollbackFlow } from "../../flow-store/flow-service";
import { getVersion, listVersions } from "../../flow-store/flow-versions";
import { listTemplates, templateIdSchema } from "../../flow-store/templates";
import { tryIt, tryItInputSchema } from "../../flow-store/try-it";
import { adminProcedure, router, tenantProcedure } from "../init";

const flowId = z.object({ flowId: z.uuid().meta({ title: "Flow" }) });
const name = z.string().trim().min(1).max(80).meta({ title: "Flow name" });
// Any JSON: its problems come back as the flow validator's list, which names each field inside it.
const definition = z.unknown().meta({ title: "Flow definition" });
const note = z.string().trim().max(500).meta({ title: "Note" }).optional();
const version = z.number().int().min(1).meta({ title: "Version" });

export const flowsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listFlows(ctx.db, ctx.tenant.id)),
  get: tenantProcedure.input(flowId).query(({ ctx, input }) => getFlow(ctx.db, ctx.tenant.id, input.flowId)),
  templates: tenantProcedure.query(() => listTemplates()),
  validate: tenantProcedure.input(z.object({ definition })).mutation(({ input }) => checkFlowDefinition(input.definition)),
  // Neither a template nor a definition: the blank flow.
  create: adminProcedure
    .input(z.object({ name, template: templateIdSchema.meta({ title: "Template" }).optional(), definition: definition.optional() }))
    .mutation(({ ctx, input }) => createFlow(ctx.db, ctx.tenant.id, ctx.userId, input)),
  duplicate: adminProcedure.input(flowId.extend({ name })).mutation(({ ctx, input }) => duplicateFlow(ctx.db, ctx.tenant.id, ctx.userId, input)),
  rename: adminProcedure.input(flowId.extend({ name })).mutation(({ ctx, input }) => renameFlow(ctx.db, ctx.tenant.id, ctx.userId, input)),
  saveDraft: adminProcedure
    .input(flowId.extend({ definition, canvas: canvasMetaSchema.meta({ title: "Canvas" }), baseRevision: z.number().int().min(0).meta({ title: "Base revision" }) }))
    .mutation(({ ctx, input }) => saveDraft(ctx.db, ctx.tenant.id, ctx.userId, input)),
  publish: adminProcedure
    .input(flowId.extend({ note, confirmFailures: z.boolean().meta({ title: "Publish despite failed test cases" }).default(false) }))
    .mutation(({ ctx, input }) => publishFlow(ctx.db, ctx.tenant.id, ctx.userId, input.flowId, input.note, { confirmFailures: input.confirmFailures })),
  versions: tenantProcedure.input(flowId).query(({ ctx, input }) => listVersions(ctx.db, ctx.tenant.id, input.flowId)),
  version: tenantProcedure.input(flowId.extend({ version })).query(({ ctx, input }) => getVersion(ctx.db, ctx.tenant.id, input.flowId, input.version)),
  rollback: adminProcedure.input(flowId.extend({ version, note })).mutation(({ ctx, input }) => rollbackFlow(ctx.db, ctx.tenant.id, ctx.userId, input)),
  export: tenantProcedure.input(flowId).query(({ ctx, input }) => exportFlow(ctx.db, ctx.tenant.id, input.flowId)),
  delete: adminProcedure.input(flowId).mutation(({ ctx, input }) => deleteFlow(ctx.db, ctx.tenant.id, ctx.userId, input.flowId)),
  tryIt: adminProcedure.input(tryItInputSchema).mutation(({ ctx, input }) => tryIt(ctx.db, ctx.tenant.id, input)),
});
