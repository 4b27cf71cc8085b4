import { z } from "zod";
import { pipelineDepsFor } from "../../pipeline/pipeline-deps";
import { processMessage } from "../../pipeline/process-message";
import { MAX_TEXT_LENGTH } from "../../pipeline/message-schema";
import { router, tenantProcedure } from "../init";

export const chatRouter = router({
  /**
   * The dashboard's "test widget": the same pipeline as production, as a synthetic web visitor. A test
   * that starts with an empty screen is a new conversation, on the live flow version.
   */
  test: tenantProcedure
    .input(
      z.object({
        text: z.string().trim().min(1).max(MAX_TEXT_LENGTH).meta({ title: "Message" }),
        conversationId: z.uuid().meta({ title: "Conversation" }).optional(),
        newConversation: z.boolean().meta({ title: "New conversation" }).default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      processMessage(pipelineDepsFor(ctx.db), ctx.tenant.id, {
        user_id: `dashboard-test:${ctx.userId}`,
        channel: "web",
        conversation_id: input.conversationId,
        startNew: input.newConversation,
        content: { type: "text", text: input.text },
        channel_metadata: { source: "dashboard_test" },
        sandbox: true,
      }),
    ),
});
