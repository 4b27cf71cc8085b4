import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authOptions } from "@/server/auth/auth-options";
import { hashPassword } from "@/server/auth/passwords";
import { sessionCookieName } from "@/server/auth/session";
import { env } from "@/server/env";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { authorizeWith, logIn } from "../helpers/auth-session";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";
import { SAME_ORIGIN, trpcHttp } from "../helpers/trpc-http";

const PASSWORD = "correct-horse-42";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const deps = () => ({ db: handle.db, kv, mailer });
const email = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

async function owner(tag: string) {
  const addr = email(tag);
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: `Sessions ${tag}`, email: addr, passwordHash: await hashPassword(PASSWORD), verified: true });
  return { email: addr, tenantId: tenant.id, userId: user.id };
}

/** What the dashboard asks on every page: who am I, in which workspace. */
const whoAmI = (cookie: string) => trpcHttp(deps(), "query", "tenant.current", { cookie });

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("sessions end server-side", () => {
  it("a captured session cookie stops working after its owner signs out, on every device", async () => {
    const me = await owner("signout");
    const laptop = await logIn({ db: handle.db, kv }, me.email, PASSWORD);
    const phone = await logIn({ db: handle.db, kv }, me.email, PASSWORD);
    expect((await whoAmI(laptop.cookie)).data).toMatchObject({ id: me.tenantId });

    // next-auth's sign-out route calls this event with the decoded token, then clears the cookie.
    await authOptions(() => ({ db: handle.db, kv })).events!.signOut!({ token: laptop.token, session: undefined as never });

    for (const captured of [laptop.cookie, phone.cookie]) {
      const answer = await whoAmI(captured);
      expect(answer.status).toBe(401);
      expect(answer.error?.data.code).toBe("UNAUTHORIZED");
    }
    // Pages read the session through the jwt callback: it refuses the token, so next-auth reports no session.
    const jwt = authOptions(() => ({ db: handle.db, kv })).callbacks!.jwt!;
    await expect(jwt({ token: laptop.token } as Parameters<typeof jwt>[0])).rejects.toThrow("SESSION_REVOKED");
    // Logging in again gives a working session.
    expect((await whoAmI((await logIn({ db: handle.db, kv }, me.email, PASSWORD)).cookie)).data).toMatchObject({ id: me.tenantId });
  });

  it("a stale copy of a signed-out cookie cannot sign its owner out of a newer session", async () => {
    const me = await owner("stale");
    const old = await logIn({ db: handle.db, kv }, me.email, PASSWORD);
    await authOptions(() => ({ db: handle.db, kv })).events!.signOut!({ token: old.token, session: undefined as never });
    const current = await logIn({ db: handle.db, kv }, me.email, PASSWORD);
    await authOptions(() => ({ db: handle.db, kv })).events!.signOut!({ token: old.token, session: undefined as never });
    expect((await whoAmI(current.cookie)).data).toMatchObject({ id: me.tenantId });
  });

  it("a password change ends every session, and only the new password logs in", async () => {
    const me = await owner("password");
    const attacker = await logIn({ db: handle.db, kv }, me.email, PASSWORD);
    const mine = await logIn({ db: handle.db, kv }, me.email, PASSWORD);

    const wrong = await trpcHttp(deps(), "mutation", "auth.changePassword", { cookie: mine.cookie, headers: SAME_ORIGIN, input: { currentPassword: "not-my-password-1", newPassword: "new-horse-battery-7" } });
    expect(wrong.status).toBe(400);
    expect(wrong.error?.data.details).toEqual({ fields: { currentPassword: "Your current password is not correct." } });
    expect((await whoAmI(attacker.cookie)).status).toBe(200);

    const changed = await trpcHttp(deps(), "mutation", "auth.changePassword", { cookie: mine.cookie, headers: SAME_ORIGIN, input: { currentPassword: PASSWORD, newPassword: "new-horse-battery-7" } });
    expect(changed).toMatchObject({ status: 200, data: { signedOut: true } });
    expect((await whoAmI(attacker.cookie)).status).toBe(401);
    expect((await whoAmI(mine.cookie)).status).toBe(401);

    const login = authorizeWith({ db: handle.db, kv });
    expect(await login(me.email, PASSWORD)).toEqual({ error: "INVALID_CREDENTIALS" });
    expect(await login(me.email, "new-horse-battery-7")).toMatchObject({ user: { id: me.userId } });
  });

  it("removal from a workspace takes effect on the member's next request", async () => {
    const boss = await owner("boss");
    const member = await owner("member");
    const asBoss = callerFor(deps(), boss.userId, boss.tenantId);
    await asBoss.team.invite({ email: member.email, role: "admin" });
    await callerFor(deps(), member.userId).auth.acceptInvitation({ token: new URL(mailer.lastLinkTo(member.email)).searchParams.get("token")! });
    const session = await logIn({ db: handle.db, kv }, member.email, PASSWORD);
    const inBoss = `${session.cookie}; active_tenant=${boss.tenantId}`;
    expect((await trpcHttp(deps(), "query", "team.members", { cookie: inBoss })).status).toBe(200);

    await asBoss.team.remove({ userId: member.userId });
    const after = await trpcHttp(deps(), "query", "team.members", { cookie: inBoss });
    expect(after.status).toBe(403);
    expect(after.raw).not.toContain(boss.email);
    // Their own workspace still works with the same session.
    expect((await whoAmI(session.cookie)).data).toMatchObject({ id: member.tenantId });
  });

  it("refuses a token without a session version (issued before versions existed) and one signed with another secret", async () => {
    const me = await owner("legacy");
    const legacy = await encode({ token: { sub: me.userId, email: me.email }, secret: env().NEXTAUTH_SECRET });
    expect((await whoAmI(`${sessionCookieName()}=${legacy}`)).status).toBe(401);
    const forged = await encode({ token: { sub: me.userId, sv: 0 }, secret: "some-other-secret-0123456789abcdef0123" });
    expect((await whoAmI(`${sessionCookieName()}=${forged}`)).status).toBe(401);
  });
});
