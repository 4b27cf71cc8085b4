import { z } from "zod";
import { listDeadLetters, retryDeadLetters } from "../../outbox/dead-letters";
import { adminProcedure, router, tenantProcedure } from "../init";

/** As many as the dashboard lists; older ones are retried with "Retry all". */
export const DEAD_LETTER_PAGE = 100;

export const outboxRouter = router({
  /** Replies to messaging channels that were not delivered (dead after retries, or failed for good). */
  deadLetters: tenantProcedure.query(({ ctx }) => listDeadLetters(ctx.db, ctx.tenant.id, { limit: DEAD_LETTER_PAGE })),
  /** Queues those replies again: the ones named, or every one of the workspace when `ids` is left out. */
  retry: adminProcedure
    .input(z.object({ ids: z.array(z.uuid().meta({ title: "Message ID" })).min(1).max(DEAD_LETTER_PAGE).meta({ title: "Messages" }).optional() }))
    .mutation(async ({ ctx, input }) => ({ retried: await retryDeadLetters(ctx.db, ctx.tenant.id, { ids: input.ids, actorUserId: ctx.userId }) })),
});
