import { z } from "zod";
import { pipelineDepsFor } from "../../pipeline/pipeline-deps";
import { processMessage } from "../../pipeline/process-message";
import { MAX_TEXT_LENGTH } from "../../pipeline/message-schema";
import { router, tenantProcedure } from "../init";

export const chatRouter = router({
  /** The dashboard's "test widget": the same pipeline as production, as a synthetic web visitor. */
  test: tenantProcedure
    .input(z.object({ text: z.string().trim().min(1, "Type a message").max(MAX_TEXT_LENGTH), conversationId: z.uuid().optional() }))
    .mutation(({ ctx, input }) =>
      processMessage(pipelineDepsFor(ctx.db), ctx.tenant.id, {
        user_id: `dashboard-test:${ctx.userId}`,
        channel: "web",
        conversation_id: input.conversationId,
        content: { type: "text", text: input.text },
        channel_metadata: { source: "dashboard_test" },
      }),
    ),
});
