import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users, verificationTokens } from "@/db/schema";
import { authenticate, loginMaxPerAddress } from "@/server/auth/login";
import { verifyEmailToken } from "@/server/auth/verification";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const unique = () => `owner-${Math.random().toString(36).slice(2)}@example.com`;
const tokenFrom = (link: string) => new URL(link).searchParams.get("token")!;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

function signup(email: string, overrides: Record<string, string> = {}) {
  const api = callerFor({ db: handle.db, kv, mailer }, null);
  return api.auth.signup({ companyName: "Acme Corp", email, password: "correct-horse-42", confirmPassword: "correct-horse-42", ...overrides });
}

describe("sign-up, verification and login", () => {
  it("requires the emailed link before a new owner can log in", async () => {
    const email = unique();
    await signup(email.toUpperCase());
    const [stored] = await handle.db.select().from(users).where(eq(users.email, email));
    expect(stored?.emailVerifiedAt).toBeNull();
    expect(stored?.passwordHash).not.toContain("correct-horse");

    expect(await authenticate({ db: handle.db, kv }, { email, password: "correct-horse-42", ip: "10.0.0.1" })).toEqual({ ok: false, code: "EMAIL_NOT_VERIFIED" });

    const outcome = await verifyEmailToken(handle.db, tokenFrom(mailer.lastLinkTo(email)));
    expect(outcome).toEqual({ status: "verified", email });
    const login = await authenticate({ db: handle.db, kv }, { email, password: "correct-horse-42", ip: "10.0.0.1" });
    expect(login.ok).toBe(true);
  });

  it("answers a duplicate email like a fresh sign-up, and rejects a weak password and a mismatched confirmation with field messages", async () => {
    const email = unique();
    await signup(email);
    await expect(signup(email)).resolves.toEqual({ email });
    expect(await handle.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    const issue = (path: string, message: unknown) => ({ code: "BAD_REQUEST", cause: { issues: expect.arrayContaining([expect.objectContaining({ path: [path], message })]) } });
    await expect(signup(unique(), { password: "short", confirmPassword: "short" })).rejects.toMatchObject(issue("password", expect.stringContaining("at least 10")));
    await expect(signup(unique(), { confirmPassword: "something-else-1" })).rejects.toMatchObject(issue("confirmPassword", "Passwords do not match"));
  });

  it("refuses an expired verification link and offers the address for a new one", async () => {
    const email = unique();
    await signup(email);
    const token = tokenFrom(mailer.lastLinkTo(email));
    await expect(verifyEmailToken(handle.db, token, new Date(Date.now() + 25 * 60 * 60 * 1000))).rejects.toMatchObject({ code: "GONE", details: { email } });
    const [user] = await handle.db.select().from(users).where(eq(users.email, email));
    expect(user?.emailVerifiedAt).toBeNull();

    await callerFor({ db: handle.db, kv, mailer }, null).auth.resendVerification({ email });
    const tokens = await handle.db.select().from(verificationTokens).where(eq(verificationTokens.userId, user!.id));
    expect(tokens).toHaveLength(2);
    expect((await verifyEmailToken(handle.db, tokenFrom(mailer.lastLinkTo(email)))).status).toBe("verified");
  });

  it("locks an account after 5 wrong passwords in 5 minutes, even for the right password, then lets it in after the window", async () => {
    const email = unique();
    await signup(email);
    await verifyEmailToken(handle.db, tokenFrom(mailer.lastLinkTo(email)));
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      expect(await authenticate({ db: handle.db, kv }, { email, password: `wrong-${i}`, ip: `10.1.0.${i}` }, t0 + i)).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    }
    const locked = await authenticate({ db: handle.db, kv }, { email, password: "correct-horse-42", ip: "10.1.1.1" }, t0 + 10);
    expect(locked).toMatchObject({ ok: false, code: "TOO_MANY_ATTEMPTS" });
    const later = await authenticate({ db: handle.db, kv }, { email, password: "correct-horse-42", ip: "10.1.1.1" }, t0 + 5 * 60 * 1000 + 100);
    expect(later.ok).toBe(true);
  });

  it("throttles one IP spraying wrong passwords across different accounts", async () => {
    const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < loginMaxPerAddress(); i++) await authenticate({ db: handle.db, kv }, { email: unique(), password: "nope-nope-1", ip });
    const email = unique();
    await signup(email);
    await verifyEmailToken(handle.db, tokenFrom(mailer.lastLinkTo(email)));
    expect(await authenticate({ db: handle.db, kv }, { email, password: "correct-horse-42", ip })).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect((await authenticate({ db: handle.db, kv }, { email, password: "correct-horse-42", ip: "10.8.8.8" })).ok).toBe(true);
  });
});
