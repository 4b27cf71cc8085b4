import { and, eq, like } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, tenants, users, type Plan, type Role } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { recordAudit } from "./audit";
import { slugify } from "./slug";

async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set((await db.select({ slug: tenants.slug }).from(tenants).where(like(tenants.slug, `${base}%`))).map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export type NewOwner = { companyName: string; email: string; passwordHash: string; plan?: Plan; verified: boolean };

/** Creates the tenant, its owner and the membership in one transaction; a taken email is a CONFLICT. */
export async function createTenantWithOwner(db: Db, input: NewOwner) {
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
    if (existing.length) throw new AppError("CONFLICT", "An account with this email already exists. Log in instead.", { field: "email" });
    const [tenant] = await tx
      .insert(tenants)
      .values({ name: input.companyName, slug: await uniqueSlug(tx as unknown as Db, input.companyName), plan: input.plan ?? "starter" })
      .returning();
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, passwordHash: input.passwordHash, emailVerifiedAt: input.verified ? new Date() : null })
      .returning();
    await tx.insert(memberships).values({ tenantId: tenant!.id, userId: user!.id, role: "owner" });
    await recordAudit(tx as unknown as Db, { tenantId: tenant!.id, actorUserId: user!.id, action: "tenant.created" });
    return { tenant: tenant!, user: user! };
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
