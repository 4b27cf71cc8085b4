import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordResetTokens, users } from "@/db/schema";
import { authenticate, LOGIN_MAX_PER_ACCOUNT } from "@/server/auth/login";
import { checkResetLink, requestPasswordReset, resetPassword } from "@/server/auth/password-reset";
import { hashPassword } from "@/server/auth/passwords";
import { env } from "@/server/env";
import { sha256 } from "@/server/security/crypto";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { logIn } from "../helpers/auth-session";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";
import { SAME_ORIGIN, trpcHttp } from "../helpers/trpc-http";

const OLD_PASSWORD = "correct-horse-42";
const NEW_PASSWORD = "battery-staple-77";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const deps = () => ({ db: handle.db, kv, mailer });
const run = randomUUID().slice(0, 8);
// Unique per run, so buckets left in a shared Redis by an earlier run never count.
const email = (tag: string) => `${tag}-${run}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const tokenFrom = (link: string) => new URL(link).searchParams.get("token")!;

async function owner(tag: string, verified = true) {
  const addr = email(tag);
  const { user } = await createTenantWithOwner(handle.db, { companyName: `Reset ${tag}`, email: addr, passwordHash: await hashPassword(OLD_PASSWORD), verified });
  return { email: addr, userId: user.id };
}

/** Asks for a link as the forgot-password page does and returns the token from the mail it sends. */
async function requestLink(addr: string, now = new Date()): Promise<string> {
  const { delivery } = await requestPasswordReset(deps(), { email: addr, ip: null }, now);
  await delivery;
  return tokenFrom(mailer.lastLinkTo(addr));
}

const logsIn = async (addr: string, password: string) => (await authenticate({ db: handle.db, kv }, { email: addr, password, ip: null })).ok;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("password reset by email", () => {
  it("sets a new password once through the mailed link, signs out every earlier session, and only the new password logs in", async () => {
    const me = await owner("journey");
    const [before] = await handle.db.select().from(users).where(eq(users.id, me.userId));
    const laptop = await logIn({ db: handle.db, kv }, me.email, OLD_PASSWORD);
    const whoAmI = (cookie: string) => trpcHttp(deps(), "query", "tenant.current", { cookie });
    expect((await whoAmI(laptop.cookie)).status).toBe(200);

    const token = await requestLink(me.email);
    const mail = mailer.sent.at(-1)!;
    expect(mail.subject).toBe("Reset your password");
    expect(mail.text).toContain(`${env().APP_URL}/reset-password?token=${token}`);
    expect(mail.text).toContain("expires in 1 hour");
    // 32 random bytes in base64url; only the hash is stored.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await handle.db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, me.userId));
    expect(stored.map((t) => t.tokenHash)).toEqual([sha256(token)]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await checkResetLink(handle.db, token)).toMatchObject({ email: me.email });

    const reset = await trpcHttp(deps(), "mutation", "auth.resetPassword", { headers: SAME_ORIGIN, input: { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } });
    expect(reset).toMatchObject({ status: 200, data: { signedOut: true } });

    expect((await whoAmI(laptop.cookie)).status).toBe(401);
    expect(await logsIn(me.email, OLD_PASSWORD)).toBe(false);
    expect(await logsIn(me.email, NEW_PASSWORD)).toBe(true);
    const [after] = await handle.db.select().from(users).where(eq(users.id, me.userId));
    expect(after!.emailVerifiedAt).toEqual(before!.emailVerifiedAt);

    const again = await trpcHttp(deps(), "mutation", "auth.resetPassword", { headers: SAME_ORIGIN, input: { token, password: "third-password-9", confirmPassword: "third-password-9" } });
    expect(again.status).toBe(412);
    expect(again.error?.message).toBe("This password reset link was already used. Request a new one below.");
    expect(await logsIn(me.email, NEW_PASSWORD)).toBe(true);
  });

  it("a newer link ends the older one, a link past its hour has expired, and an unknown link is not valid", async () => {
    const me = await owner("replaced");
    const t0 = new Date();
    const first = await requestLink(me.email, t0);
    const second = await requestLink(me.email, new Date(t0.getTime() + 1000));
    expect(first).not.toBe(second);

    await expect(resetPassword(deps(), { token: first, password: NEW_PASSWORD, ip: null })).rejects.toMatchObject({ code: "GONE", message: expect.stringContaining("A newer password reset link was sent") });
    expect(await logsIn(me.email, OLD_PASSWORD)).toBe(true);

    const pastTheHour = new Date(t0.getTime() + 1000 + env().PASSWORD_RESET_TTL_SECONDS * 1000);
    await expect(checkResetLink(handle.db, second, pastTheHour)).rejects.toMatchObject({ code: "GONE", message: "This password reset link has expired. Request a new one below." });
    await expect(resetPassword(deps(), { token: second, password: NEW_PASSWORD, ip: null }, pastTheHour)).rejects.toMatchObject({ code: "GONE" });
    await expect(checkResetLink(handle.db, "made-up-token")).rejects.toMatchObject({ code: "NOT_FOUND", message: "This password reset link is not valid. Request a new one below." });
    // Still within its hour, the newest link works.
    await resetPassword(deps(), { token: second, password: NEW_PASSWORD, ip: null });
    expect(await logsIn(me.email, NEW_PASSWORD)).toBe(true);
  });

  it("refuses a weak or unconfirmed new password with the sign-up rules' words, and the link still works afterwards", async () => {
    const me = await owner("weak");
    const token = await requestLink(me.email);
    const api = callerFor(deps(), null);
    const issue = (path: string, message: unknown) => ({ code: "BAD_REQUEST", cause: { issues: expect.arrayContaining([expect.objectContaining({ path: [path], message })]) } });
    await expect(api.auth.resetPassword({ token, password: "short1", confirmPassword: "short1" })).rejects.toMatchObject(issue("password", expect.stringContaining("at least 10")));
    await expect(api.auth.resetPassword({ token, password: "password123", confirmPassword: "password123" })).rejects.toMatchObject(issue("password", expect.stringContaining("too common")));
    await expect(api.auth.resetPassword({ token, password: NEW_PASSWORD, confirmPassword: "battery-staple-78" })).rejects.toMatchObject(issue("confirmPassword", "Passwords do not match"));
    await expect(api.auth.resetPassword({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).resolves.toEqual({ signedOut: true });
  });

  it("lets a locked-out, unverified owner back in: the reset lifts the account's login lock and verifies the mailed address", async () => {
    const me = await owner("locked", false);
    for (let i = 0; i < LOGIN_MAX_PER_ACCOUNT; i++) await authenticate({ db: handle.db, kv }, { email: me.email, password: `guess-${i}-wrong`, ip: null });
    expect(await authenticate({ db: handle.db, kv }, { email: me.email, password: OLD_PASSWORD, ip: null })).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });

    await resetPassword(deps(), { token: await requestLink(me.email), password: NEW_PASSWORD, ip: null });
    expect(await authenticate({ db: handle.db, kv }, { email: me.email, password: NEW_PASSWORD, ip: null })).toMatchObject({ ok: true, user: { id: me.userId } });
  });

  it("sets the password once when one link is submitted twice at the same moment", async () => {
    const me = await owner("double");
    const token = await requestLink(me.email);
    const passwords = ["first-choice-11", "second-choice-22"];
    const results = await Promise.allSettled(passwords.map((password) => resetPassword(deps(), { token, password, ip: null })));
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [passwords[i]!] : []));
    expect(won).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "GONE", message: expect.stringContaining("already used") } });
    const lost = passwords.find((p) => p !== won[0])!;
    expect(await logsIn(me.email, won[0]!)).toBe(true);
    expect(await logsIn(me.email, lost)).toBe(false);
  });
});
