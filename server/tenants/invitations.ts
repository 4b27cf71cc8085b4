import { and, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, memberships, tenants, users, type Role } from "@/db/schema";
import { enforceSlots, type Bucket } from "../auth/throttle";
import type { Kv } from "../cache/kv";
import { env } from "../env";
import type { Mailer } from "../email/mailer";
import { AppError } from "../errors/app-error";
import { randomToken, sha256 } from "../security/crypto";
import { recordAudit } from "./audit";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type TeamActor = { tenantId: string; tenantName: string; actorUserId: string; actorRole: Role };
type InviteDeps = { db: Db; kv: Kv; mailer: Mailer };

const INVITE_WINDOW_MS = 60 * 60 * 1000;
/** Invitation mails per workspace and per invited address an hour: resending cannot flood an inbox, nor a workspace our mail server. */
export const INVITES_PER_ADDRESS = 5;
export const INVITES_PER_WORKSPACE = 100;
const TOO_MANY_INVITES = "Too many invitations were sent from this workspace or to this address. Please wait an hour and try again.";

const inviteBuckets = (tenantId: string, email: string): Bucket[] => [
  { key: `invite:tenant:${tenantId}`, limit: INVITES_PER_WORKSPACE, windowMs: INVITE_WINDOW_MS },
  { key: `invite:email:${tenantId}:${email}`, limit: INVITES_PER_ADDRESS, windowMs: INVITE_WINDOW_MS },
];

/** Neither accepted, revoked nor replaced: the one invitation of an address that the team page shows. */
const openInvitation = (tenantId: string) =>
  and(eq(invitations.tenantId, tenantId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), isNull(invitations.replacedAt));

/** An open invitation whose link still works. */
export const pendingInvitation = (tenantId: string, now = new Date()) => and(openInvitation(tenantId), gt(invitations.expiresAt, now));

/**
 * Invitations and membership changes of one workspace run one at a time, so two quick clicks leave one
 * open invitation per address and two owners removing each other cannot leave the workspace ownerless.
 */
export async function lockTeam(tx: Db, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`team:${tenantId}`}, 0))`);
}

/** Only an owner hands out, renews or withdraws the owner role, as only an owner removes an owner. */
function assertMayManageRole(actorRole: Role, role: Role, refusal: string): void {
  if (role === "owner" && actorRole !== "owner") throw new AppError("FORBIDDEN", refusal);
}

/** Open invitations, expired ones included, so an admin sees who never joined and can send a new link. */
export async function listOpenInvitations(db: Db, tenantId: string, now = new Date()) {
  const rows = await db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .where(openInvitation(tenantId))
    .orderBy(desc(invitations.createdAt));
  return rows.map((row) => ({ ...row, expired: row.expiresAt <= now }));
}

async function sendInvitationMail(mailer: Mailer, to: { email: string; role: Role; tenantName: string; token: string }): Promise<void> {
  const link = `${env().APP_URL}/invite?token=${encodeURIComponent(to.token)}`;
  await mailer.send({
    to: to.email,
    subject: `You're invited to join ${to.tenantName}`,
    text: `You have been invited to join ${to.tenantName} as ${to.role}.\n\nAccept the invitation:\n${link}\n\nThe link expires in 7 days.`,
  });
}

/**
 * Invites an address, or sends it a new link when it already has an open invitation: the old row is
 * marked replaced (its link then says so) and the new one takes its place in the list.
 */
export async function inviteMember(deps: InviteDeps, ctx: TeamActor, input: { email: string; role: Role }, now = new Date()) {
  assertMayManageRole(ctx.actorRole, input.role, "Only an owner can invite an owner.");
  await enforceSlots(deps.kv, inviteBuckets(ctx.tenantId, input.email), TOO_MANY_INVITES);
  const token = randomToken();
  const { id, resent } = await deps.db.transaction(async (tx) => {
    await lockTeam(tx, ctx.tenantId);
    const [already] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(users.email, input.email)))
      .limit(1);
    if (already) {
      const message = `${input.email} is already a member of this workspace.`;
      throw new AppError("CONFLICT", message, { fields: { email: message } });
    }
    const previous = await tx.select({ id: invitations.id, role: invitations.role }).from(invitations).where(and(openInvitation(ctx.tenantId), eq(invitations.email, input.email)));
    for (const old of previous) assertMayManageRole(ctx.actorRole, old.role, "Only an owner can resend an owner's invitation.");
    if (previous.length) await tx.update(invitations).set({ replacedAt: now }).where(inArray(invitations.id, previous.map((p) => p.id)));
    const [row] = await tx
      .insert(invitations)
      .values({ tenantId: ctx.tenantId, email: input.email, role: input.role, tokenHash: sha256(token), invitedBy: ctx.actorUserId, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) })
      .returning({ id: invitations.id });
    const action = previous.length ? "member.reinvited" : "member.invited";
    await recordAudit(tx, { tenantId: ctx.tenantId, actorUserId: ctx.actorUserId, action, targetType: "invitation", targetId: row!.id, details: { email: input.email, role: input.role } });
    return { id: row!.id, resent: previous.length > 0 };
  });
  await sendInvitationMail(deps.mailer, { email: input.email, role: input.role, tenantName: ctx.tenantName, token });
  return { id, email: input.email, resent };
}

async function findOpenInvitation(db: Db, tenantId: string, invitationId: string) {
  const [row] = await db.select({ email: invitations.email, role: invitations.role }).from(invitations).where(and(openInvitation(tenantId), eq(invitations.id, invitationId))).limit(1);
  if (!row) throw new AppError("NOT_FOUND", "This invitation is no longer open.");
  return row;
}

/** "Resend" on the team page: a new link for the same address and role. */
export async function resendInvitation(deps: InviteDeps, ctx: TeamActor, invitationId: string) {
  const open = await findOpenInvitation(deps.db, ctx.tenantId, invitationId);
  return inviteMember(deps, ctx, open);
}

export async function revokeInvitation(db: Db, ctx: TeamActor, invitationId: string, now = new Date()): Promise<void> {
  const open = await findOpenInvitation(db, ctx.tenantId, invitationId);
  assertMayManageRole(ctx.actorRole, open.role, "Only an owner can revoke an owner's invitation.");
  await db.transaction(async (tx) => {
    await tx.update(invitations).set({ revokedAt: now }).where(and(openInvitation(ctx.tenantId), eq(invitations.id, invitationId)));
    await recordAudit(tx, { tenantId: ctx.tenantId, actorUserId: ctx.actorUserId, action: "member.invitation_revoked", targetType: "invitation", targetId: invitationId, details: { email: open.email } });
  });
}

export type OpenInvitation = { id: string; email: string; role: Role; tenantId: string; tenantName: string };

/** What the link of `token` invites to, or why it no longer works, in the words its holder reads. */
export async function describeInvitation(db: Db, token: string, now = new Date()): Promise<OpenInvitation> {
  const [row] = await db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      tenantId: invitations.tenantId,
      tenantName: tenants.name,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
      replacedAt: invitations.replacedAt,
    })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "This invitation link is not valid.");
  if (row.acceptedAt) throw new AppError("GONE", "This invitation has already been accepted. Log in to open the workspace.");
  if (row.revokedAt) throw new AppError("GONE", "This invitation was revoked. Ask the person who invited you if you still need access.");
  if (row.replacedAt) throw new AppError("GONE", "This invitation was replaced by a newer one; use the latest email.");
  if (row.expiresAt <= now) throw new AppError("GONE", "This invitation has expired. Ask the person who invited you for a new one.");
  return { id: row.id, email: row.email, role: row.role, tenantId: row.tenantId, tenantName: row.tenantName };
}

/**
 * For the invitation page: whether the invited address signs up or logs in to accept. Only the link's
 * holder asks, and the link went to that mailbox, so whether the address has an account is theirs to know.
 */
export async function invitationForLink(db: Db, token: string) {
  const invite = await describeInvitation(db, token);
  const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, invite.email)).limit(1);
  return { email: invite.email, role: invite.role, tenantName: invite.tenantName, hasAccount: Boolean(account) };
}

/**
 * Uses the invitation once, inside the caller's transaction: of two simultaneous acceptances (or an
 * acceptance racing a revoke or a resend) exactly one claims it, and the other reads why it cannot.
 */
export async function claimInvitation(tx: Db, token: string, invite: OpenInvitation, userId: string, now = new Date()): Promise<void> {
  const [claimed] = await tx
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.id, invite.id), openInvitation(invite.tenantId), gt(invitations.expiresAt, now)))
    .returning({ id: invitations.id });
  if (!claimed) {
    await describeInvitation(tx, token, now);
    throw new AppError("GONE", "This invitation is no longer valid.");
  }
  await tx.insert(memberships).values({ tenantId: invite.tenantId, userId, role: invite.role }).onConflictDoNothing();
  await recordAudit(tx, { tenantId: invite.tenantId, actorUserId: userId, action: "member.joined", targetType: "user", targetId: userId, details: { role: invite.role } });
}

/** The invitation binds to the invited address: a different logged-in account cannot use it. */
export async function acceptInvitation(db: Db, token: string, userId: string) {
  const invite = await describeInvitation(db, token);
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.email !== invite.email) throw new AppError("FORBIDDEN", `This invitation was sent to ${invite.email}. Log in with that address to accept it.`);
  await db.transaction((tx) => claimInvitation(tx, token, invite, userId));
  return { tenantId: invite.tenantId, tenantName: invite.tenantName };
}
