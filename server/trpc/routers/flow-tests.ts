import { z } from "zod";
import { replayConversation, runFlowTests } from "../../flow-testing/flow-tests-service";
import { replayTargets } from "../../flow-testing/replay-targets";
import { flowTargetSchema, saveTestCaseInputSchema } from "../../flow-testing/test-case-schema";
import { deleteTestCase, listTestCases, saveTestCase } from "../../flow-testing/test-case-store";
import { adminProcedure, router, tenantProcedure } from "../init";

const flowId = z.object({ flowId: z.uuid().meta({ title: "Flow" }) });
const conversationId = z.object({ conversationId: z.uuid().meta({ title: "Conversation" }) });

export const flowTestsRouter = router({
  list: tenantProcedure.input(flowId).query(({ ctx, input }) => listTestCases(ctx.db, ctx.tenant.id, input.flowId)),
  save: adminProcedure.input(saveTestCaseInputSchema).mutation(({ ctx, input }) => saveTestCase(ctx.db, ctx.tenant.id, ctx.userId, input)),
  delete: adminProcedure.input(z.object({ testCaseId: z.uuid().meta({ title: "Test case" }) })).mutation(({ ctx, input }) => deleteTestCase(ctx.db, ctx.tenant.id, ctx.userId, input.testCaseId)),
  // Stores the run, so only those who may publish start one.
  run: adminProcedure.input(flowId.extend({ target: flowTargetSchema.default("draft") })).mutation(({ ctx, input }) => runFlowTests(ctx.db, ctx.tenant.id, ctx.userId, { ...input, trigger: "manual" })),
  replay: tenantProcedure.input(conversationId.extend({ target: flowTargetSchema.default("published") })).query(({ ctx, input }) => replayConversation(ctx.db, ctx.tenant.id, input)),
  // What the inbox offers to replay a conversation against.
  replayTargets: tenantProcedure.input(conversationId).query(({ ctx, input }) => replayTargets(ctx.db, ctx.tenant.id, input.conversationId)),
});
