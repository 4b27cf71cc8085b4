import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, memberships, tenants, users, type Role } from "@/db/schema";
import { env } from "../env";
import type { Mailer } from "../email/mailer";
import { AppError } from "../errors/app-error";
import { randomToken, sha256 } from "../security/crypto";
import { recordAudit } from "./audit";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function listMembers(db: Db, tenantId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(memberships.createdAt);
}

export async function listPendingInvitations(db: Db, tenantId: string, now = new Date()) {
  return db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.createdAt));
}

export async function inviteMember(
  deps: { db: Db; mailer: Mailer },
  ctx: { tenantId: string; tenantName: string; actorUserId: string; actorRole: Role },
  input: { email: string; role: Role },
) {
  if (input.role === "owner" && ctx.actorRole !== "owner") throw new AppError("FORBIDDEN", "Only an owner can invite another owner.");
  const [already] = await deps.db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, ctx.tenantId), eq(users.email, input.email)))
    .limit(1);
  if (already) throw new AppError("CONFLICT", `${input.email} is already a member of this workspace.`, { field: "email" });
  const token = randomToken();
  const [row] = await deps.db
    .insert(invitations)
    .values({ tenantId: ctx.tenantId, email: input.email, role: input.role, tokenHash: sha256(token), invitedBy: ctx.actorUserId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS) })
    .returning({ id: invitations.id });
  const link = `${env().APP_URL}/invite?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: input.email,
    subject: `You're invited to join ${ctx.tenantName}`,
    text: `You have been invited to join ${ctx.tenantName} as ${input.role}.\n\nAccept the invitation:\n${link}\n\nThe link expires in 7 days.`,
  });
  await recordAudit(deps.db, { tenantId: ctx.tenantId, actorUserId: ctx.actorUserId, action: "member.invited", targetType: "invitation", targetId: row!.id, details: { email: input.email, role: input.role } });
  return { id: row!.id };
}

export async function describeInvitation(db: Db, token: string, now = new Date()) {
  const [row] = await db
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, tenantId: invitations.tenantId, tenantName: tenants.name, expiresAt: invitations.expiresAt, acceptedAt: invitations.acceptedAt })
    .from(invitations)
    .innerJoin(tenants, eq(tenants.id, invitations.tenantId))
    .where(eq(invitations.tokenHash, sha256(token)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "This invitation link is not valid.");
  if (row.acceptedAt) throw new AppError("GONE", "This invitation has already been accepted.");
  if (row.expiresAt <= now) throw new AppError("GONE", "This invitation has expired. Ask your admin for a new one.");
  return row;
}

/** The invitation binds to the invited address: a different logged-in account cannot use it. */
export async function acceptInvitation(db: Db, token: string, userId: string) {
  const invite = await describeInvitation(db, token);
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.email !== invite.email) throw new AppError("FORBIDDEN", `This invitation was sent to ${invite.email}. Log in with that address to accept it.`);
  await db.transaction(async (tx) => {
    await tx.insert(memberships).values({ tenantId: invite.tenantId, userId, role: invite.role }).onConflictDoNothing();
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(eq(invitations.id, invite.id));
    await recordAudit(tx, { tenantId: invite.tenantId, actorUserId: userId, action: "member.joined", targetType: "user", targetId: userId, details: { role: invite.role } });
  });
  return { tenantId: invite.tenantId, tenantName: invite.tenantName };
}

export async function removeMember(db: Db, ctx: { tenantId: string; actorUserId: string; actorRole: Role }, userId: string) {
  const [target] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, userId))).limit(1);
  if (!target) throw new AppError("NOT_FOUND", "Member not found.");
  if (target.role === "owner") {
    if (ctx.actorRole !== "owner") throw new AppError("FORBIDDEN", "Only an owner can remove an owner.");
    const [{ owners } = { owners: 0 }] = await db.select({ owners: count() }).from(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.role, "owner")));
    if (owners <= 1) throw new AppError("CONFLICT", "A workspace needs at least one owner.");
  }
  await db.delete(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, userId)));
  await recordAudit(db, { tenantId: ctx.tenantId, actorUserId: ctx.actorUserId, action: "member.removed", targetType: "user", targetId: userId });
}
