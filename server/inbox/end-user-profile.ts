import { createHash } from "node:crypto";
import { and, count, desc, eq, min, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { conversations, messages, type ConversationStatus } from "@/db/schema";
import { inboundMetadataSchema } from "./inbox-schemas";

export type EndUserIdentity = { name: string | null; email: string | null };

export type EndUserProfile = {
  end_user_id: string;
  label: string;
  name: string | null;
  email: string | null;
  channel_ids: { channel: string; id: string }[];
  first_seen: string;
  conversation_count: number;
  /** The most recent ones, newest first (the profile links to them). */
  conversations: { id: string; channel: string; status: ConversationStatus; started_at: string }[];
};

const PROFILE_CONVERSATIONS = 20;

/** An inbound message whose channel metadata names the visitor (the fields identityOf reads). */
export const IDENTIFYING = (metadata: AnyPgColumn) => sql`${metadata}->'channel_metadata' ?| array['user_name', 'name', 'email']`;

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : null);

/** Who the visitor said they are: the channel's profile fields, else an email the flow collected. */
export function identityOf(channelMetadata: unknown, slots: unknown): EndUserIdentity {
  const meta = (channelMetadata ?? {}) as Record<string, unknown>;
  const collected = (slots ?? {}) as Record<string, unknown>;
  return { name: text(meta.user_name) ?? text(meta.name), email: text(meta.email) ?? text(collected.email) };
}

/** "Visitor 1a2b": stable for one end user across their conversations, and says nothing of their id. */
export function visitorLabel(endUserId: string): string {
  return `Visitor ${createHash("sha256").update(endUserId).digest("hex").slice(0, 4)}`;
}

export const displayName = (endUserId: string, identity: EndUserIdentity): string => identity.name ?? identity.email ?? visitorLabel(endUserId);

/** The end user behind a conversation, across every conversation of theirs in the tenant. */
export async function getEndUserProfile(db: Db, tenantId: string, endUserId: string, slots: unknown): Promise<EndUserProfile> {
  const mine = and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, endUserId));
  const [recent, [totals], channels, [latestInbound]] = await Promise.all([
    db
      .select({ id: conversations.id, channel: conversations.channel, status: conversations.status, startedAt: conversations.createdAt })
      .from(conversations)
      .where(mine)
      .orderBy(desc(conversations.createdAt))
      .limit(PROFILE_CONVERSATIONS),
    db.select({ total: count(), firstSeen: min(conversations.createdAt) }).from(conversations).where(mine),
    db.selectDistinct({ channel: conversations.channel }).from(conversations).where(mine),
    // The newest inbound message of this end user that carries channel profile fields.
    db
      .select({ metadata: messages.metadata })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(and(mine, eq(messages.tenantId, tenantId), eq(messages.direction, "inbound"), IDENTIFYING(messages.metadata)))
      .orderBy(desc(messages.createdAt))
      .limit(1),
  ]);
  const identity = identityOf(inboundMetadataSchema.safeParse(latestInbound?.metadata).data?.channel_metadata, slots);
  return {
    end_user_id: endUserId,
    label: displayName(endUserId, identity),
    ...identity,
    channel_ids: channels.map((c) => ({ channel: c.channel, id: endUserId })),
    first_seen: (totals?.firstSeen ?? new Date()).toISOString(),
    conversation_count: Number(totals?.total ?? 0),
    conversations: recent.map((c) => ({ id: c.id, channel: c.channel, status: c.status, started_at: c.startedAt.toISOString() })),
  };
}
