import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticate, loginMaxPerAddress } from "@/server/auth/login";
import { AUTH_MAILS_PER_EMAIL, RESENDS_PER_ADDRESS } from "@/server/auth/mail-limits";
import { hashPassword } from "@/server/auth/passwords";
import type { Mail, Mailer } from "@/server/email/mailer";
import { env } from "@/server/env";
import { CLIENT_ADDRESS_HEADER } from "@/server/http/client-address.mjs";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { SAME_ORIGIN, trpcHttp } from "../helpers/trpc-http";

const PASSWORD = "correct-horse-42";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const run = randomUUID().slice(0, 8);
// Unique per run and test, so buckets left in a shared Redis by an earlier run never count.
const email = (tag: string) => `${tag}-${run}-${Math.random().toString(36).slice(2, 8)}@example.com`;
let octet = 0;
// A documentation-range IPv6 address carrying the run id: never one an earlier run filled a bucket for.
const address = () => `2001:db8:${run.slice(0, 4)}:${run.slice(4, 8)}::${++octet}`;
const mailsTo = (addr: string) => mailer.sent.filter((m) => m.to === addr);

/** The forgot-password page's call, from a browser whose address the server resolved to `ip`. */
function requestReset(addr: string, ip: string, extraHeaders: Record<string, string> = {}, withMailer: Mailer = mailer) {
  return trpcHttp({ db: handle.db, kv, mailer: withMailer }, "mutation", "auth.requestPasswordReset", { headers: { ...SAME_ORIGIN, [CLIENT_ADDRESS_HEADER]: ip, ...extraHeaders }, input: { email: addr } });
}

async function account(tag: string) {
  const addr = email(tag);
  await createTenantWithOwner(handle.db, { companyName: `Reset ${tag}`, email: addr, passwordHash: await hashPassword(PASSWORD), verified: true });
  return addr;
}

/** Waits for the mail the request sends after answering (bounded: the capture mailer is in-process). */
async function linkMailedTo(addr: string): Promise<string> {
  for (let i = 0; i < 50 && mailsTo(addr).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  return mailer.lastLinkTo(addr);
}

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("password reset requests tell nobody who has an account", () => {
  it("answers an address without an account exactly like an account's, and mails only the account's owner", async () => {
    const known = await account("known");
    const unknown = email("nobody");
    const forKnown = await requestReset(known, address());
    const forUnknown = await requestReset(unknown, address());
    expect(forKnown.status).toBe(200);
    expect(forUnknown.status).toBe(forKnown.status);
    expect(forUnknown.raw).toBe(forKnown.raw);
    expect(await linkMailedTo(known)).toContain("/reset-password?token=");
    expect(mailsTo(unknown)).toEqual([]);
  });

  it("answers before the mail is sent, so a slow mail server cannot time out who has an account", async () => {
    const known = await account("slow-mail");
    let release!: () => void;
    const held: Mail[] = [];
    const stalled: Mailer = { send: (mail) => new Promise<void>((resolve) => { held.push(mail); release = resolve; }) };
    const answer = await requestReset(known, address(), {}, stalled);
    expect(answer).toMatchObject({ status: 200, data: { sent: true } });
    for (let i = 0; i < 50 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(held.map((m) => m.to)).toEqual([known]);
    release();
  });

  it("builds the mailed link from APP_URL, whatever Host or X-Forwarded-Host the request names", async () => {
    const known = await account("host");
    // What a script sends to poison the link: no browser Origin, a forged Host and forwarded host.
    const answer = await trpcHttp({ db: handle.db, kv, mailer }, "mutation", "auth.requestPasswordReset", {
      headers: { host: "attacker.example", "x-forwarded-host": "attacker.example", "x-forwarded-proto": "https" },
      input: { email: known },
    });
    expect(answer.status).toBe(200);
    const link = new URL(await linkMailedTo(known));
    expect(link.origin).toBe(new URL(env().APP_URL).origin);
    expect(link.pathname).toBe("/reset-password");
  });
});

describe("password reset limits", () => {
  it(`allows ${AUTH_MAILS_PER_EMAIL} requests per email address in 10 minutes, refused alike for an address with and without an account`, async () => {
    const known = await account("flood");
    const unknown = email("flood-nobody");
    for (const addr of [known, unknown]) {
      for (let i = 0; i < AUTH_MAILS_PER_EMAIL; i++) expect((await requestReset(addr, address())).status).toBe(200);
    }
    const refusedKnown = await requestReset(known, address());
    const refusedUnknown = await requestReset(unknown, address());
    expect(refusedKnown.status).toBe(429);
    expect(refusedKnown.error?.message).toBe("Too many requests for this address. Please wait a few minutes and try again.");
    expect(refusedUnknown.error?.message).toBe(refusedKnown.error?.message);
    for (let i = 0; i < 50 && mailsTo(known).length < AUTH_MAILS_PER_EMAIL; i++) await new Promise((r) => setTimeout(r, 20));
    expect(mailsTo(known)).toHaveLength(AUTH_MAILS_PER_EMAIL);
  });

  it(`allows ${RESENDS_PER_ADDRESS} requests per client address in 10 minutes across email addresses; other addresses are unaffected`, async () => {
    const sprayer = address();
    for (let i = 0; i < RESENDS_PER_ADDRESS; i++) expect((await requestReset(email(`spray${i}`), sprayer)).status).toBe(200);
    const victim = await account("spray-victim");
    expect((await requestReset(victim, sprayer)).status).toBe(429);
    expect((await requestReset(victim, address())).status).toBe(200);
  });

  it("counts guessed reset links against the client address's login attempts", async () => {
    const target = await account("guess");
    const guesser = address();
    await requestReset(target, address());
    const token = new URL(await linkMailedTo(target)).searchParams.get("token")!;
    const submit = (tokenGuess: string, ip: string) =>
      trpcHttp({ db: handle.db, kv, mailer }, "mutation", "auth.resetPassword", { headers: { ...SAME_ORIGIN, [CLIENT_ADDRESS_HEADER]: ip }, input: { token: tokenGuess, password: "taken-over-42", confirmPassword: "taken-over-42" } });
    for (let i = 0; i < loginMaxPerAddress(); i++) expect((await submit(`guess-${i}-${run}`, guesser)).status).toBe(404);

    const refused = await submit(token, guesser);
    expect(refused.status).toBe(429);
    expect(refused.error?.message).toBe("Too many failed attempts. Please wait 5 minutes and try again.");
    expect(await authenticate({ db: handle.db, kv }, { email: target, password: PASSWORD, ip: guesser })).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect((await authenticate({ db: handle.db, kv }, { email: target, password: PASSWORD, ip: address() })).ok).toBe(true);
  });
});
