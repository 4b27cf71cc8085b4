import { z } from "zod";
import { CONVERSATION_STATUSES } from "@/db/schema";
import { storable } from "../http/text";
import { MAX_TEXT_LENGTH } from "../pipeline/message-schema";

/** What an agent writes: a reply to the visitor or an internal note. */
export const agentTextSchema = storable(z.string().meta({ title: "Text" }).trim().min(1).max(MAX_TEXT_LENGTH));

/** Emails are stored lowercased (sign-up, invitations), so the API's agent_email is compared that way. */
export const agentEmailSchema = z.string().meta({ title: "Agent email" }).trim().toLowerCase().min(1).pipe(z.email().meta({ title: "Agent email" }));

export const resumeStateSchema = storable(z.string().meta({ title: "Resume state" }).trim().min(1).max(200));

export const HANDOFF_ACTIONS = ["take", "release", "resolve"] as const;
export type HandoffAction = (typeof HANDOFF_ACTIONS)[number];

export const handoffRequestSchema = z
  .strictObject({
    action: z.enum(HANDOFF_ACTIONS).meta({ title: "Action" }),
    agent_email: agentEmailSchema.optional(),
    resume_state: resumeStateSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.action === "take" && body.agent_email === undefined) {
      ctx.addIssue({ code: "custom", path: ["agent_email"], message: "Agent email is required to take a conversation: the member who takes it" });
    }
    if (body.resume_state !== undefined && body.action !== "release") {
      ctx.addIssue({ code: "custom", path: ["resume_state"], message: "Resume state is only accepted with the release action" });
    }
  })
  .meta({
    title: "Handoff action",
    description:
      "take: assign the conversation to agent_email (required), a member of the workspace; the bot stops answering. release: hand it back to the bot at resume_state (default: the flow's initial state). resolve: close it; a visitor who writes again is answered by the bot.",
  });
export type HandoffRequest = z.infer<typeof handoffRequestSchema>;

export const agentMessageRequestSchema = z.strictObject({ text: agentTextSchema, agent_email: agentEmailSchema }).meta({ title: "Agent message" });
export type AgentMessageRequest = z.infer<typeof agentMessageRequestSchema>;

export const assignedAgentSchema = z.object({ user_id: z.uuid(), email: z.string(), name: z.string().nullable() });

export const handoffViewSchema = z.object({
  conversation_id: z.uuid(),
  status: z.enum(CONVERSATION_STATUSES),
  /** The member who has the conversation, or who last had it. */
  assigned_agent: assignedAgentSchema.nullable(),
  /** The flow state the bot answers at next (or, while a person has it, the handoff state). */
  current_state: z.string().nullable(),
  status_changed_at: z.iso.datetime({ offset: true }),
});
export type HandoffView = z.infer<typeof handoffViewSchema>;

export const agentMessageViewSchema = z.object({
  message_id: z.uuid(),
  conversation_id: z.uuid(),
  sequence: z.number().int(),
  text: z.string(),
  author: z.literal("agent"),
  agent_email: z.string(),
  /** "delivered" on the web widget (it reads the conversation live); "queued" on messaging channels. */
  delivery_status: z.string(),
  created_at: z.iso.datetime({ offset: true }),
});
export type AgentMessageView = z.infer<typeof agentMessageViewSchema>;

export const noteViewSchema = z.object({ id: z.uuid(), note: z.string(), actor_label: z.string(), created_at: z.iso.datetime({ offset: true }) });
export type NoteView = z.infer<typeof noteViewSchema>;

/** Metadata of an outbound message a person wrote; the transcript and analytics tell people from the bot by `author`. */
export const agentMessageMetadataSchema = z.object({
  author: z.literal("agent"),
  agent_user_id: z.uuid().nullable(),
  agent_email: z.string(),
  agent_name: z.string().nullable(),
  delivery_status: z.enum(["delivered", "queued"]),
});
export type AgentMessageMetadata = z.infer<typeof agentMessageMetadataSchema>;
