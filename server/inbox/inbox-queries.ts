import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { conversationReads, conversations, memberships, messages, tenants, users, type ConversationStatus } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { displayName, IDENTIFYING, identityOf } from "./end-user-profile";
import type { Agent } from "./handoff-agents";
import { INBOX_PAGE_SIZE, INBOX_STATUSES, inboundMetadataSchema, type InboxFilters } from "./inbox-schemas";
import { authorOf, contentView, previewOf, type MessageAuthor } from "./message-view";

export type InboxRow = {
  id: string;
  end_user: { id: string; label: string; name: string | null; email: string | null };
  channel: string;
  status: ConversationStatus;
  assigned_agent: Agent | null;
  primary_intent: string | null;
  last_message: { text: string; author: MessageAuthor; at: string } | null;
  message_count: number;
  /** Since when a waiting conversation has waited (null unless waiting for an agent). */
  waiting_since: string | null;
  unread: boolean;
  sandbox: boolean;
  created_at: string;
  updated_at: string;
};

export type InboxPage = { rows: InboxRow[]; next_cursor: string | null };

type Sort = "recent" | "waiting";
type Cursor = { sort: Sort; at: string; id: string };

// The sort key as text with microseconds: a JS Date would round it to milliseconds and skip or repeat rows.
const keyText = (column: AnyPgColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

function decodeCursor(raw: string, sort: Sort): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(raw, "base64url").toString()) as Cursor;
    if (cursor.sort === sort && typeof cursor.at === "string" && !Number.isNaN(Date.parse(cursor.at)) && /^[0-9a-f-]{36}$/.test(cursor.id)) return cursor;
  } catch {
    // fall through to the refusal below
  }
  throw new AppError("VALIDATION_ERROR", "This page link has expired; reload the inbox.", { field: "cursor" });
}

/** Every filter as one condition on `conversations` (tenant excluded): the list's WHERE and the live stream's `matches`. */
function filterCondition(tenantId: string, userId: string, timeZone: string, f: InboxFilters): SQL {
  const c = conversations;
  const parts: SQL[] = [];
  if (f.status) parts.push(sql`${c.status} = ${INBOX_STATUSES[f.status].status}`);
  if (f.channel) parts.push(sql`${c.channel} = ${f.channel}`);
  if (f.intent) parts.push(sql`${c.primaryIntent} = ${f.intent}`);
  // Days are the tenant's: a local midnight, read in its time zone, is the boundary.
  if (f.from) parts.push(sql`${c.createdAt} >= (${f.from}::date)::timestamp at time zone ${timeZone}`);
  if (f.to) parts.push(sql`${c.createdAt} < (${f.to}::date + 1)::timestamp at time zone ${timeZone}`);
  if (f.assigned === "unassigned") parts.push(sql`${c.assignedTo} is null`);
  else if (f.assigned) parts.push(sql`${c.assignedTo} = ${f.assigned === "me" ? userId : f.assigned}::uuid`);
  if (f.state) parts.push(sql`${c.visitedStates} @> array[${f.state}]::text[]`);
  if (f.not_understood) parts.push(sql`${c.notUnderstoodCount} > 0`);
  // The API's search (server/pipeline/conversation-queries.ts), served by messages_text_search_idx.
  if (f.q)
    parts.push(sql`${c.id} in (select ${messages.conversationId} from ${messages} where ${messages.tenantId} = ${tenantId}::uuid
      and to_tsvector('simple', coalesce(${messages.text}, '')) @@ plainto_tsquery('simple', ${f.q}))`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

async function tenantTimeZone(db: Db, tenantId: string): Promise<string> {
  const [row] = await db.select({ timeZone: tenants.timeZone }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row?.timeZone ?? "UTC";
}

type Selection = { where: SQL; order: SQL[]; limit: number; matches?: SQL };

/**
 * The rows of one selection of conversations. The page is chosen on `conversations` alone (its indexes, its
 * LIMIT), and only then joined to the per-row probes: the last message, the newest inbound naming the visitor,
 * any inbound at all, the agent and the reader's mark. Probing before the LIMIT would probe every match.
 */
function rowQuery(db: Db, tenantId: string, userId: string, selection: Selection) {
  const c = conversations;
  const page = db.select({ pageId: c.id }).from(c).where(selection.where).orderBy(...selection.order).limit(selection.limit).as("page");
  const last = db
    .select({ direction: messages.direction, content: messages.content, text: messages.text, metadata: messages.metadata, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, c.id), eq(messages.tenantId, tenantId)))
    .orderBy(desc(messages.sequence))
    .limit(1)
    .as("last_message");
  const identified = db
    .select({ identityMetadata: sql<unknown>`${messages.metadata}`.as("identity_metadata") })
    .from(messages)
    .where(and(eq(messages.conversationId, c.id), eq(messages.tenantId, tenantId), eq(messages.direction, "inbound"), IDENTIFYING(messages.metadata)))
    .orderBy(desc(messages.sequence))
    .limit(1)
    .as("identified");
  const anyInbound = db
    .select({ hasInbound: sql<number>`1`.as("has_inbound") })
    .from(messages)
    .where(and(eq(messages.conversationId, c.id), eq(messages.tenantId, tenantId), eq(messages.direction, "inbound")))
    .limit(1)
    .as("any_inbound");
  return db
    .select({
      id: c.id,
      endUserId: c.endUserId,
      channel: c.channel,
      status: c.status,
      primaryIntent: c.primaryIntent,
      messageCount: c.messageCount,
      lastSequence: c.lastSequence,
      statusChangedAt: c.statusChangedAt,
      sandbox: c.sandbox,
      slots: sql<unknown>`${c.state}->'slots'`,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      updatedKey: keyText(c.updatedAt),
      waitingKey: keyText(c.statusChangedAt),
      agentId: users.id,
      agentEmail: users.email,
      agentName: users.name,
      readSequence: conversationReads.readSequence,
      last: { direction: last.direction, content: last.content, text: last.text, metadata: last.metadata, at: last.at },
      identityMetadata: identified.identityMetadata,
      hasInbound: anyInbound.hasInbound,
      matches: selection.matches ? sql<boolean>`(${selection.matches})` : sql<boolean>`true`,
    })
    .from(c)
    .innerJoin(page, eq(page.pageId, c.id))
    .leftJoin(users, eq(users.id, c.assignedTo))
    .leftJoin(conversationReads, and(eq(conversationReads.conversationId, c.id), eq(conversationReads.userId, userId), eq(conversationReads.tenantId, tenantId)))
    .leftJoinLateral(last, sql`true`)
    .leftJoinLateral(identified, sql`true`)
    .leftJoinLateral(anyInbound, sql`true`)
    .orderBy(...selection.order);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof rowQuery>["execute"]>>[number];

function toRow(r: RawRow): InboxRow {
  const identity = identityOf(inboundMetadataSchema.safeParse(r.identityMetadata).data?.channel_metadata, r.slots);
  return {
    id: r.id,
    end_user: { id: r.endUserId, label: displayName(r.endUserId, identity), ...identity },
    channel: r.channel,
    status: r.status,
    assigned_agent: r.agentId && r.agentEmail ? { user_id: r.agentId, email: r.agentEmail, name: r.agentName } : null,
    primary_intent: r.primaryIntent,
    last_message:
      r.last?.direction && r.last.at
        ? { text: previewOf(contentView({ direction: r.last.direction, content: r.last.content, text: r.last.text })), author: authorOf({ direction: r.last.direction, metadata: r.last.metadata }), at: r.last.at.toISOString() }
        : null,
    message_count: r.messageCount,
    waiting_since: r.status === "escalated" ? r.statusChangedAt.toISOString() : null,
    unread: r.readSequence === null ? r.hasInbound !== null : r.lastSequence > r.readSequence,
    sandbox: r.sandbox,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

/**
 * One page of the tenant's conversations, newest activity first (or, sorted "waiting", longest waiting first),
 * keyset-paginated so a page costs the same on the thousandth page as on the first.
 */
export async function listConversations(db: Db, tenantId: string, userId: string, filters: InboxFilters, rawCursor?: string): Promise<InboxPage> {
  const sort: Sort = filters.sort ?? "recent";
  const cursor = rawCursor ? decodeCursor(rawCursor, sort) : null;
  const timeZone = filters.from || filters.to ? await tenantTimeZone(db, tenantId) : "UTC";
  const c = conversations;
  const where: SQL[] = [sql`${c.tenantId} = ${tenantId}::uuid`, filterCondition(tenantId, userId, timeZone, filters)];
  if (cursor && sort === "recent") where.push(sql`${c.updatedAt} <= ${cursor.at}::timestamptz and (${c.updatedAt} < ${cursor.at}::timestamptz or ${c.id} < ${cursor.id}::uuid)`);
  if (cursor && sort === "waiting") where.push(sql`${c.statusChangedAt} >= ${cursor.at}::timestamptz and (${c.statusChangedAt} > ${cursor.at}::timestamptz or ${c.id} > ${cursor.id}::uuid)`);
  const order = sort === "recent" ? [sql`${c.updatedAt} desc`, sql`${c.id} desc`] : [sql`${c.statusChangedAt} asc`, sql`${c.id} asc`];
  const raw = await rowQuery(db, tenantId, userId, { where: sql.join(where, sql` and `), order, limit: INBOX_PAGE_SIZE + 1 });
  const page = raw.slice(0, INBOX_PAGE_SIZE);
  const lastRow = page.at(-1);
  const next = raw.length > INBOX_PAGE_SIZE && lastRow ? encodeCursor({ sort, at: sort === "recent" ? lastRow.updatedKey : lastRow.waitingKey, id: lastRow.id }) : null;
  return { rows: page.map(toRow), next_cursor: next };
}

export type ChangedRow = InboxRow & { matches: boolean };

/**
 * The tenant's conversations (or the one open conversation) changed after `since`, oldest change first, each
 * saying whether it matches the filters (the live list drops one that stopped matching and adds one that started to).
 */
export async function conversationsChangedSince(
  db: Db,
  tenantId: string,
  userId: string,
  filters: InboxFilters,
  opts: { since: Date; limit: number; conversationId?: string },
): Promise<ChangedRow[]> {
  const timeZone = filters.from || filters.to ? await tenantTimeZone(db, tenantId) : "UTC";
  const c = conversations;
  const only = opts.conversationId ? sql` and ${c.id} = ${opts.conversationId}::uuid` : sql``;
  const raw = await rowQuery(db, tenantId, userId, {
    where: sql`${c.tenantId} = ${tenantId}::uuid and ${c.updatedAt} > ${opts.since.toISOString()}::timestamptz${only}`,
    order: [sql`${c.updatedAt} asc`, sql`${c.id} asc`],
    limit: opts.limit,
    matches: filterCondition(tenantId, userId, timeZone, filters),
  });
  return raw.map((r) => ({ ...toRow(r), matches: r.matches }));
}

/** The reader has seen everything written so far; a mark never moves back. */
export async function markRead(db: Db, tenantId: string, userId: string, conversationId: string): Promise<{ read_sequence: number }> {
  const [row] = await db
    .insert(conversationReads)
    .select(
      db
        .select({ tenantId: conversations.tenantId, conversationId: conversations.id, userId: sql<string>`${userId}::uuid`.as("user_id"), readSequence: conversations.lastSequence })
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId))),
    )
    .onConflictDoUpdate({
      target: [conversationReads.conversationId, conversationReads.userId],
      set: { readSequence: sql`greatest(${conversationReads.readSequence}, excluded.read_sequence)` },
    })
    .returning({ readSequence: conversationReads.readSequence });
  if (!row) throw new AppError("NOT_FOUND", "Conversation not found.");
  return { read_sequence: row.readSequence };
}

export type InboxAgent = Agent & { available: boolean; you: boolean };

/** The workspace's members as agents, available ones first. */
export async function listAgents(db: Db, tenantId: string, userId: string): Promise<InboxAgent[]> {
  const rows = await db
    .select({ user_id: users.id, email: users.email, name: users.name, available: memberships.available })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(desc(memberships.available), users.email);
  return rows.map((row) => ({ ...row, you: row.user_id === userId }));
}
