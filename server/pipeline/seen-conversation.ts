import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { CONVERSATION_STATUSES } from "@/db/schema";
import { liveVersionIdSubquery } from "../flow-store/flow-service";
import { conversationStateSchema } from "../flows/conversation-state";
import { continuedBy } from "./conversation-repo";
import type { InboundMessage } from "./message-schema";
import type { Presumes } from "./persist-turn";
import { presumeFirstTurn, presumptions, type Presumption } from "./presumed-first-turn";
import { presumeNextTurn } from "./presumed-next-turn";

/*
 * What the statement that handed a turn its message (the webhook inbox's claim) read of the end user's
 * conversations, with its snapshot: the conversation the message continues, whether the end user had any
 * before, and the tenant's live flow version. An inbox claims an end user's next message only once the
 * previous one's turn has committed, so this is what the long way would read, and the turn can run on it as
 * presumptions (presumed-next-turn.ts, presumed-first-turn.ts) whichever process ran the previous turn:
 * one statement instead of a transaction. Anything that changed the conversation since (an agent, a timeout)
 * bumped its updated_at, so the write finds its presumption broken, stores nothing, and the turn runs the
 * long way.
 */

export const seenConversationSchema = z.object({
  continues: z
    .object({
      id: z.uuid(),
      status: z.enum(CONVERSATION_STATUSES),
      state: conversationStateSchema.nullable(),
      flowVersionId: z.uuid().nullable(),
      messageCount: z.number().int(),
      lastSequence: z.number().int(),
      updatedAt: z.string(),
    })
    .nullable(),
  returningUser: z.boolean(),
  liveVersionId: z.uuid().nullable(),
});
export type SeenConversation = z.infer<typeof seenConversationSchema>;

/** The read as one jsonb value, for the end user `user` of `tenant` on `channel` (SQL expressions of the reading statement). */
export function seenConversationSql(by: { tenant: SQL; user: SQL; channel: SQL }, now: Date): SQL {
  return sql`jsonb_build_object(
    'continues', (select jsonb_build_object('id', x.id, 'status', x.status, 'state', x.state, 'flowVersionId', x.flow_version_id,
        'messageCount', x.message_count, 'lastSequence', x.last_sequence,
        'updatedAt', to_char(x.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
      from conversations x where ${continuedBy(sql`x`, by, now)} order by x.updated_at desc limit 1),
    'returningUser', exists (select 1 from conversations p where p.tenant_id = ${by.tenant} and p.end_user_id = ${by.user}),
    'liveVersionId', ${liveVersionIdSubquery(by.tenant)})`;
}

/**
 * The presumptions a turn runs on from what was seen: the next turn of a conversation the bot answers, or a
 * new end user's first. Null (the long way) for a conversation with or waiting for a person, or a returning
 * end user with none to continue, whose greeting the long way decides.
 */
export function presumeSeen(tenantId: string, input: InboundMessage, now: Date, seen: SeenConversation): (Presumption & { presumes: Presumes }) | null {
  const { continues } = seen;
  if (continues) return continues.state ? presumeNextTurn(tenantId, input, now, { ...continues, state: continues.state }) : null;
  if (seen.returningUser || input.conversation_id || input.startNew) return null;
  const first = presumeFirstTurn(tenantId, { liveVersionId: seen.liveVersionId });
  return first && { ...first, presumes: presumptions(tenantId, input, first) };
}
