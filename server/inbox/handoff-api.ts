import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import { memberAgentByEmail } from "./handoff-agents";
import type { AgentMessageRequest, HandoffRequest } from "./handoff-schemas";
import { releaseConversation, resolveConversation, sendAgentMessage, takeConversation, type Actor, type AgentMessageView, type HandoffView } from "./handoff-service";

/** How the events show an API caller that names no member. */
export const API_ACTOR_LABEL = "API";

/** A helpdesk integration acts as the member it names, who must belong to the API key's workspace. */
async function apiActor(db: Db, tenantId: string, email: string | undefined): Promise<Actor> {
  if (email === undefined) return { userId: null, label: API_ACTOR_LABEL };
  const agent = await memberAgentByEmail(db, tenantId, email);
  if (!agent) throw new AppError("VALIDATION_ERROR", "agent_email is not a member of this workspace.", { fields: { agent_email: "Not a member of this workspace" } });
  return { userId: agent.user_id, label: agent.email };
}

/** POST /api/v2/chat/conversations/{id}/handoff */
export async function handoffByApi(db: Db, tenantId: string, conversationId: string, body: HandoffRequest): Promise<HandoffView> {
  const actor = await apiActor(db, tenantId, body.agent_email);
  switch (body.action) {
    case "take":
      return takeConversation(db, tenantId, conversationId, actor);
    case "release":
      return releaseConversation(db, tenantId, conversationId, actor, { resumeState: body.resume_state });
    case "resolve":
      return resolveConversation(db, tenantId, conversationId, actor);
  }
}

/** POST /api/v2/chat/conversations/{id}/agent-messages */
export async function agentMessageByApi(db: Db, tenantId: string, conversationId: string, body: AgentMessageRequest): Promise<AgentMessageView> {
  return sendAgentMessage(db, tenantId, conversationId, await apiActor(db, tenantId, body.agent_email), body.text);
}
