import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users, type Role } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { recordAudit } from "./audit";
import { lockTeam } from "./invitations";

type Person = { userId: string; role: Role };

/** Each member with whether the viewer may remove them, by the rule removeMember enforces, so the page offers only what works. */
export async function listMembers(db: Db, tenantId: string, viewer: Person) {
  const rows = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(memberships.createdAt);
  const owners = rows.filter((row) => row.role === "owner").length;
  return rows.map((row) => ({ ...row, you: row.userId === viewer.userId, removable: removalRefusal(viewer, row, owners) === null }));
}

function removalRefusal(actor: Person, target: Person, owners: number): AppError | null {
  if (actor.role === "member") return new AppError("FORBIDDEN", "Only owners and admins can remove members.");
  if (target.userId === actor.userId) return new AppError("CONFLICT", "You cannot remove yourself from the workspace.");
  if (target.role !== "owner") return null;
  if (actor.role !== "owner") return new AppError("FORBIDDEN", "Only an owner can remove an owner.");
  if (owners <= 1) return new AppError("CONFLICT", "A workspace needs at least one owner.");
  return null;
}

export async function removeMember(db: Db, ctx: { tenantId: string; actorUserId: string; actorRole: Role }, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockTeam(tx, ctx.tenantId);
    const [target] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, userId))).limit(1);
    if (!target) throw new AppError("NOT_FOUND", "Member not found.");
    const [{ owners } = { owners: 0 }] = await tx.select({ owners: count() }).from(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.role, "owner")));
    const refusal = removalRefusal({ userId: ctx.actorUserId, role: ctx.actorRole }, { userId, role: target.role }, owners);
    if (refusal) throw refusal;
    await tx.delete(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.userId, userId)));
    await recordAudit(tx, { tenantId: ctx.tenantId, actorUserId: ctx.actorUserId, action: "member.removed", targetType: "user", targetId: userId });
  });
}
