import { z } from "zod";
import { checkFlowDefinition, createFlow, getFlow, listFlows, publishFlow, saveDraft } from "../../flow-store/flow-service";
import { adminProcedure, router, tenantProcedure } from "../init";

const flowId = z.object({ flowId: z.uuid() });

export const flowsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listFlows(ctx.db, ctx.tenant.id)),
  get: tenantProcedure.input(flowId).query(({ ctx, input }) => getFlow(ctx.db, ctx.tenant.id, input.flowId)),
  validate: tenantProcedure.input(z.object({ definition: z.unknown() })).mutation(({ input }) => checkFlowDefinition(input.definition)),
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1, "Name is required").max(80), definition: z.unknown() }))
    .mutation(({ ctx, input }) => createFlow(ctx.db, ctx.tenant.id, ctx.userId, input)),
  saveDraft: adminProcedure
    .input(flowId.extend({ definition: z.unknown() }))
    .mutation(({ ctx, input }) => saveDraft(ctx.db, ctx.tenant.id, input.flowId, input.definition)),
  publish: adminProcedure.input(flowId).mutation(({ ctx, input }) => publishFlow(ctx.db, ctx.tenant.id, ctx.userId, input.flowId)),
});
