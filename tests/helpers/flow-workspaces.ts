import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "./capture-mailer";
import { createTestDb } from "./test-db";
import { createTestKv } from "./test-kv";
import { callerFor } from "./trpc-caller";

/**
 * A database, cache and mailer opened before the file's tests and closed after them, and workspaces in it:
 * an owner with their tRPC caller, and further members with theirs.
 */
export function useWorkspaces() {
  const kv = createTestKv();
  const mailer = createCaptureMailer();
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await kv.close();
    await handle.dispose();
  });
  const as = (userId: string, tenantId: string) => callerFor({ db: handle.db, kv, mailer }, userId, tenantId);
  return {
    get db(): Db {
      return handle.db;
    },
    as,
    async workspace(company: string, email: string) {
      const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
      return { tenantId: tenant.id, ownerId: user.id, asOwner: as(user.id, tenant.id) };
    },
    async memberOf(tenantId: string, email: string, role: "admin" | "member") {
      const [user] = await handle.db.insert(users).values({ email, passwordHash: await hashPassword("irrelevant-pass-1"), emailVerifiedAt: new Date() }).returning();
      await handle.db.insert(memberships).values({ tenantId, userId: user!.id, role });
      return as(user!.id, tenantId);
    },
  };
}
