import { z } from "zod";
import { AppError } from "../../errors/app-error";
import { memberAgent } from "../../inbox/handoff-agents";
import { agentTextSchema, resumeStateSchema } from "../../inbox/handoff-schemas";
import { addNote, releaseConversation, resolveConversation, sendAgentMessage, setAvailability, takeConversation, type Actor } from "../../inbox/handoff-service";
import { listAgents, listConversations, markRead } from "../../inbox/inbox-queries";
import { conversationIdInputSchema, inboxListInputSchema } from "../../inbox/inbox-schemas";
import { getTranscript, resumeStates } from "../../inbox/transcript";
import { router, tenantProcedure } from "../init";

/** Every member is an agent: the handoff service records them by their email. */
const agentProcedure = tenantProcedure.use(async ({ ctx, next }) => {
  const agent = await memberAgent(ctx.db, ctx.tenant.id, ctx.userId);
  if (!agent) throw new AppError("FORBIDDEN", "You are not a member of this workspace.");
  const actor: Actor = { userId: agent.user_id, label: agent.email };
  return next({ ctx: { ...ctx, actor } });
});

const conversation = conversationIdInputSchema;

export const inboxRouter = router({
  list: tenantProcedure.input(inboxListInputSchema).query(({ ctx, input }) => {
    const { cursor, ...filters } = input;
    return listConversations(ctx.db, ctx.tenant.id, ctx.userId, filters, cursor);
  }),
  get: tenantProcedure.input(conversation).query(({ ctx, input }) => getTranscript(ctx.db, ctx.tenant.id, input.conversationId)),
  markRead: tenantProcedure.input(conversation).mutation(({ ctx, input }) => markRead(ctx.db, ctx.tenant.id, ctx.userId, input.conversationId)),
  agents: tenantProcedure.query(({ ctx }) => listAgents(ctx.db, ctx.tenant.id, ctx.userId)),
  setAvailable: tenantProcedure.input(z.object({ available: z.boolean().meta({ title: "Available" }) })).mutation(async ({ ctx, input }) => {
    await setAvailability(ctx.db, ctx.tenant.id, ctx.userId, input.available);
    return { available: input.available };
  }),
  states: tenantProcedure.input(conversation).query(({ ctx, input }) => resumeStates(ctx.db, ctx.tenant.id, input.conversationId)),
  take: agentProcedure.input(conversation).mutation(({ ctx, input }) => takeConversation(ctx.db, ctx.tenant.id, input.conversationId, ctx.actor)),
  release: agentProcedure
    .input(conversation.extend({ resumeState: resumeStateSchema.optional() }))
    .mutation(({ ctx, input }) => releaseConversation(ctx.db, ctx.tenant.id, input.conversationId, ctx.actor, { resumeState: input.resumeState })),
  resolve: agentProcedure.input(conversation).mutation(({ ctx, input }) => resolveConversation(ctx.db, ctx.tenant.id, input.conversationId, ctx.actor)),
  reply: agentProcedure.input(conversation.extend({ text: agentTextSchema })).mutation(async ({ ctx, input }) => {
    const sent = await sendAgentMessage(ctx.db, ctx.tenant.id, input.conversationId, ctx.actor, input.text);
    // The agent has read what they answered: their own reply does not mark the conversation unread for them.
    await markRead(ctx.db, ctx.tenant.id, ctx.userId, input.conversationId);
    return sent;
  }),
  note: agentProcedure
    .input(conversation.extend({ text: agentTextSchema.meta({ title: "Note" }) }))
    .mutation(({ ctx, input }) => addNote(ctx.db, ctx.tenant.id, input.conversationId, ctx.actor, input.text)),
});
