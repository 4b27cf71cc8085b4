import { and, eq, like } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, tenants, users, type Plan, type Role } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { recordAudit } from "./audit";
import { slugify } from "./slug";

/**
 * Inserts the tenant under the first free slug: the name's, then name-2, name-3… A sign-up racing us to
 * the same slug makes the insert do nothing (the unique index decides), and the next candidate is tried.
 */
async function insertTenant(db: Db, input: { name: string; plan: Plan }) {
  const base = slugify(input.name);
  const taken = new Set((await db.select({ slug: tenants.slug }).from(tenants).where(like(tenants.slug, `${base}%`))).map((r) => r.slug));
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (taken.has(slug)) continue;
    const [tenant] = await db.insert(tenants).values({ name: input.name, slug, plan: input.plan }).onConflictDoNothing({ target: tenants.slug }).returning();
    if (tenant) return tenant;
  }
}

export type NewOwner = { companyName: string; email: string; passwordHash: string; plan?: Plan; verified: boolean };

const EMAIL_TAKEN = { field: "email" } as const;

/** The CONFLICT createTenantWithOwner throws when the email already has an account. */
export const isEmailTaken = (error: unknown): boolean => error instanceof AppError && error.code === "CONFLICT" && error.details === EMAIL_TAKEN;

/**
 * Creates the tenant, its owner and the membership in one transaction. The unique index on the email
 * decides a duplicate, so simultaneous sign-ups with one address give one account and CONFLICTs, never a 500.
 */
export async function createTenantWithOwner(db: Db, input: NewOwner) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, passwordHash: input.passwordHash, emailVerifiedAt: input.verified ? new Date() : null })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) throw new AppError("CONFLICT", "An account with this email already exists. Log in instead.", EMAIL_TAKEN);
    const tenant = await insertTenant(tx, { name: input.companyName, plan: input.plan ?? "starter" });
    await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: "owner" });
    await recordAudit(tx, { tenantId: tenant.id, actorUserId: user.id, action: "tenant.created" });
    return { tenant, user };
  });
}

export async function listUserTenants(db: Db, userId: string) {
  return db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, plan: tenants.plan, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
}

export async function findMembership(db: Db, userId: string, tenantId: string): Promise<{ role: Role; tenantName: string; plan: Plan } | null> {
  const [row] = await db
    .select({ role: memberships.role, tenantName: tenants.name, plan: tenants.plan, status: tenants.status })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)))
    .limit(1);
  if (!row || row.status !== "active") return null;
  return { role: row.role, tenantName: row.tenantName, plan: row.plan };
}
