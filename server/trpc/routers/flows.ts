import { z } from "zod";
import { checkFlowDefinition, createFlow, deleteFlow, getFlow, listFlows, publishFlow, saveDraft } from "../../flow-store/flow-service";
import { adminProcedure, router, tenantProcedure } from "../init";

const flowId = z.object({ flowId: z.uuid().meta({ title: "Flow" }) });
// Any JSON: its problems come back as the flow validator's list, which names each field inside it.
const definition = z.unknown().meta({ title: "Flow definition" });

export const flowsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listFlows(ctx.db, ctx.tenant.id)),
  get: tenantProcedure.input(flowId).query(({ ctx, input }) => getFlow(ctx.db, ctx.tenant.id, input.flowId)),
  validate: tenantProcedure.input(z.object({ definition })).mutation(({ input }) => checkFlowDefinition(input.definition)),
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1).max(80).meta({ title: "Flow name" }), definition }))
    .mutation(({ ctx, input }) => createFlow(ctx.db, ctx.tenant.id, ctx.userId, input)),
  saveDraft: adminProcedure
    .input(flowId.extend({ definition }))
    .mutation(({ ctx, input }) => saveDraft(ctx.db, ctx.tenant.id, input.flowId, input.definition)),
  publish: adminProcedure.input(flowId).mutation(({ ctx, input }) => publishFlow(ctx.db, ctx.tenant.id, ctx.userId, input.flowId)),
  delete: adminProcedure.input(flowId).mutation(({ ctx, input }) => deleteFlow(ctx.db, ctx.tenant.id, ctx.userId, input.flowId)),
});
