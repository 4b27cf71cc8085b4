import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants, users } from "@/db/schema";
import { AUTH_MAILS_PER_EMAIL, RESENDS_PER_ADDRESS } from "@/server/auth/mail-limits";
import { AppError } from "@/server/errors/app-error";
import { env } from "@/server/env";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";
import { SAME_ORIGIN, trpcHttp } from "../helpers/trpc-http";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const run = randomUUID().slice(0, 8);
const email = (tag: string) => `${tag}-${run}-${Math.random().toString(36).slice(2, 8)}@example.com`;
let octet = 0;
// Fresh per test and run, so a shared Redis's earlier buckets never count.
const address = () => `198.19.${Math.floor(Math.random() * 250)}.${++octet}`;
const form = (addr: string, overrides: Record<string, string> = {}) => ({ companyName: "Acme Outdoor", email: addr, password: "correct-horse-42", confirmPassword: "correct-horse-42", ...overrides });
const api = (ip: string | null) => callerFor({ db: handle.db, kv, mailer }, null, null, { ip });
const mailsTo = (addr: string) => mailer.sent.filter((m) => m.to === addr);

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("sign-up races are decided by the unique constraints", () => {
  it("10 simultaneous sign-ups with one email make one account; the other nine are CONFLICTs", async () => {
    const addr = email("race");
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => createTenantWithOwner(handle.db, { companyName: `Race ${i}`, email: addr, passwordHash: "not-a-real-hash", verified: false })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(reasons).toHaveLength(9);
    for (const reason of reasons) expect(reason).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("already exists") });
    for (const reason of reasons) expect(reason).toBeInstanceOf(AppError);
    expect(await handle.db.select().from(users).where(eq(users.email, addr))).toHaveLength(1);
    const names = Array.from({ length: 10 }, (_, i) => `Race ${i}`);
    expect(await handle.db.select().from(tenants).where(inArray(tenants.name, names))).toHaveLength(1);
  });

  it("10 simultaneous sign-ups with one company name all succeed, each under its own slug", async () => {
    const company = `Same Name ${run}`;
    const results = await Promise.all(Array.from({ length: 10 }, () => createTenantWithOwner(handle.db, { companyName: company, email: email("same-name"), passwordHash: "x", verified: false })));
    const slugs = results.map((r) => r.tenant.slug).sort();
    expect(new Set(slugs).size).toBe(10);
    expect(slugs).toContain(`same-name-${run}`);
  });

  it("answers a sign-up with a registered email exactly like a fresh one, and mails the owner a login link instead", async () => {
    const taken = email("taken");
    const fresh = email("fresh");
    const first = await api(address()).auth.signup(form(taken));
    const [owner] = await handle.db.select().from(users).where(eq(users.email, taken));
    await handle.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, owner!.id));

    const again = await api(address()).auth.signup(form(taken, { companyName: "Someone Else Inc" }));
    const other = await api(address()).auth.signup(form(fresh));
    expect(again).toEqual({ email: taken });
    expect(Object.keys(again)).toEqual(Object.keys(other));
    expect(first).toEqual({ email: taken });
    expect(await handle.db.select().from(users).where(eq(users.email, taken))).toHaveLength(1);
    expect(await handle.db.select().from(tenants).where(eq(tenants.name, "Someone Else Inc"))).toHaveLength(0);
    const reminder = mailsTo(taken).at(-1)!;
    expect(reminder.subject).toBe("You already have an account");
    expect(reminder.text).toContain(`${env().APP_URL}/login`);
    expect(mailsTo(fresh).at(-1)!.subject).toBe("Verify your email address");
  });

  it("sends an unverified owner who signs up again a new verification link", async () => {
    const addr = email("unverified-again");
    await api(address()).auth.signup(form(addr));
    await api(address()).auth.signup(form(addr));
    expect(mailsTo(addr).map((m) => m.subject)).toEqual(["Verify your email address", "Verify your email address"]);
    expect(await handle.db.select().from(users).where(eq(users.email, addr))).toHaveLength(1);
  });
});

describe("sign-up refuses text Postgres cannot store with a field message, never a 500", () => {
  it.each([
    ["companyName", { companyName: "Acme\u0000 Corp" }],
    ["companyName", { companyName: "Acme \uD800 Corp" }],
    ["companyName", { companyName: "Acme\tCorp" }],
    ["password", { password: "correct-horse-42\u0000", confirmPassword: "correct-horse-42\u0000" }],
    ["password", { password: "correct-horse-42\uDC00", confirmPassword: "correct-horse-42\uDC00" }],
    ["email", { email: "owner\u0000@example.com" }],
  ])("refuses a bad %s over HTTP with 400 and the field named", async (field, overrides) => {
    const answer = await trpcHttp({ db: handle.db, kv, mailer }, "mutation", "auth.signup", { input: form(email("nul"), overrides), headers: SAME_ORIGIN });
    expect(answer.status).toBe(400);
    expect(answer.error?.data.appCode).toBe("VALIDATION_ERROR");
    expect(Object.keys(answer.error?.data.fieldErrors as object)).toContain(field);
    expect(answer.raw).not.toMatch(/insert|select|\$2[aby]\$/i);
  });
});

describe("sign-up and verification mails are rate-limited", () => {
  it("lets one client address sign up SIGNUPS_PER_ADDRESS times (5 by default) in 10 minutes, then answers 429; another address is unaffected", async () => {
    const ip = address();
    const limit = env().SIGNUPS_PER_ADDRESS;
    for (let i = 0; i < limit; i++) await api(ip).auth.signup(form(email(`burst${i}`)));
    const blocked = email("burst-over");
    await expect(api(ip).auth.signup(form(blocked))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringContaining("wait a few minutes") });
    expect(mailsTo(blocked)).toHaveLength(0);
    expect(await handle.db.select().from(users).where(eq(users.email, blocked))).toHaveLength(0);
    await expect(api(address()).auth.signup(form(blocked))).resolves.toEqual({ email: blocked });
  });

  it("sends one address at most 3 mails in 10 minutes, however many clients ask (30 resends at once)", async () => {
    const addr = email("flooded");
    await api(address()).auth.signup(form(addr));
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => api(address()).auth.resendVerification({ email: addr })));
    expect(mailsTo(addr)).toHaveLength(AUTH_MAILS_PER_EMAIL);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(AUTH_MAILS_PER_EMAIL - 1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // Sign-up to the same address shares the budget, so it cannot be used to go on mailing it.
    await expect(api(address()).auth.signup(form(addr))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(mailsTo(addr)).toHaveLength(AUTH_MAILS_PER_EMAIL);
  });

  it("limits resends per client address across different emails, and answers the same for unknown addresses", async () => {
    const ip = address();
    for (let i = 0; i < RESENDS_PER_ADDRESS; i++) await expect(api(ip).auth.resendVerification({ email: email(`nobody${i}`) })).resolves.toEqual({ sent: true });
    await expect(api(ip).auth.resendVerification({ email: email("nobody-over") })).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(api(address()).auth.resendVerification({ email: email("nobody-else") })).resolves.toEqual({ sent: true });
  });
});
