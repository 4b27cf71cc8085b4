import type { z } from "zod";
import { agentMessageRequestSchema, agentMessageViewSchema, handoffRequestSchema, handoffViewSchema } from "../inbox/handoff-schemas";
import { MAX_TEXT_LENGTH } from "../pipeline/message-schema";
import { successEnvelopeSchema } from "./envelope";
import type { ApiMedia, ApiOperation, ApiParameter, ApiResponse, JsonSchema } from "./openapi-types";

/**
 * The pieces of openapi.ts every operation shares (its helpers, passed in rather than imported: openapi.ts
 * imports this file, and a cycle would leave them undefined while this module loads).
 */
export type OpenApiParts = {
  jsonSchema(schema: z.ZodType, io?: "input" | "output"): JsonSchema;
  ref(name: string): ApiMedia;
  success(description: string, schema: string): ApiResponse;
  errors: Record<string, ApiResponse>;
  idParam: ApiParameter;
  tenantHeader: ApiParameter;
};

/** components.schemas entries of the handoff endpoints. */
export function handoffSchemas({ jsonSchema }: Pick<OpenApiParts, "jsonSchema">): Record<string, JsonSchema> {
  return {
    HandoffRequest: jsonSchema(handoffRequestSchema),
    Handoff: jsonSchema(successEnvelopeSchema(handoffViewSchema), "output"),
    AgentMessageRequest: jsonSchema(agentMessageRequestSchema),
    AgentMessage: jsonSchema(successEnvelopeSchema(agentMessageViewSchema), "output"),
  };
}

/** The path items of the handoff endpoints, for a helpdesk integration acting for the workspace's members. */
export function handoffPaths({ ref, success, errors, idParam, tenantHeader }: OpenApiParts): Record<string, Record<string, ApiOperation>> {
  const notMember = "agent_email must be a member of the API key's workspace (400 VALIDATION_ERROR on field agent_email otherwise).";
  return {
    "/api/v2/chat/conversations/{id}/handoff": {
      post: {
        operationId: "changeConversationHandoff",
        tags: ["Conversations"],
        summary: "Take a conversation for an agent, hand it back to the bot, or resolve it",
        description:
          "take assigns the conversation to agent_email and silences the bot (allowed while the bot or the queue has it, and again by the same agent). release hands it back to the bot at resume_state, a state of the conversation's flow version (default: its initial state); the visitor's next message is answered there. resolve closes it; a visitor who writes again is answered by the bot. Every change is recorded as a conversation event with its actor: the member named by agent_email, else \"API\".",
        parameters: [idParam, tenantHeader],
        requestBody: { required: true, description: `take requires agent_email; resume_state is accepted with release only; unknown fields are refused. ${notMember}`, content: ref("HandoffRequest") },
        responses: {
          "200": success("The conversation's handoff status after the action", "Handoff"),
          ...errors,
          "409": { description: "CONFLICT: another member has the conversation (the message names them), or its status does not allow the action (releasing a conversation the bot already has, resolving a resolved one)", content: ref("Error") },
        },
      },
    },
    "/api/v2/chat/conversations/{id}/agent-messages": {
      post: {
        operationId: "sendAgentMessage",
        tags: ["Conversations"],
        summary: "Reply to the end user as an agent",
        description: `Stores the reply on the conversation's channel as an outbound message written by agent_email. Writing takes the conversation: one the bot or the queue has is assigned to the agent, a resolved one reopens with them. On the web widget the reply is shown live (delivery_status "delivered"); on a conversation that came in through a WhatsApp, Slack or Messenger webhook it is queued in the outbox with delivery_status "queued", sent in order after any reply still waiting, and GET /api/v2/chat/conversations/{id} then shows its progress ("sent", "delivered", "read", or "failed").`,
        parameters: [idParam, tenantHeader],
        requestBody: { required: true, description: `text is 1 to ${MAX_TEXT_LENGTH} characters after trimming; unknown fields are refused. ${notMember}`, content: ref("AgentMessageRequest") },
        responses: {
          "201": success("The stored reply", "AgentMessage"),
          ...errors,
          "409": { description: "CONFLICT: another member has the conversation; the message names them", content: ref("Error") },
        },
      },
    },
  };
}
