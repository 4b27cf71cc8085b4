import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Kv } from "../cache/kv";
import { DUMMY_HASH, verifyPassword } from "./passwords";

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 5 * 60 * 1000;

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; code: "INVALID_CREDENTIALS" | "EMAIL_NOT_VERIFIED" }
  | { ok: false; code: "TOO_MANY_ATTEMPTS"; retryAfterSeconds: number };

const accountKey = (email: string) => `login-fail:acct:${email}`;
const ipKey = (ip: string) => `login-fail:ip:${ip}`;

/** Checks credentials with throttling: 5 failures in 5 minutes lock the account and, separately, the IP. */
export async function authenticate(deps: { db: Db; kv: Kv }, input: { email: string; password: string; ip: string }, now = Date.now()): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const [acctFailures, ipFailures] = await Promise.all([
    deps.kv.count(accountKey(email), LOGIN_WINDOW_MS, now),
    deps.kv.count(ipKey(input.ip), LOGIN_WINDOW_MS, now),
  ]);
  if (acctFailures >= LOGIN_MAX_FAILURES || ipFailures >= LOGIN_MAX_FAILURES) {
    return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterSeconds: Math.ceil(LOGIN_WINDOW_MS / 1000) };
  }
  const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid) {
    await Promise.all([deps.kv.record(accountKey(email), LOGIN_WINDOW_MS, now), deps.kv.record(ipKey(input.ip), LOGIN_WINDOW_MS, now)]);
    return { ok: false, code: "INVALID_CREDENTIALS" };
  }
  if (!user.emailVerifiedAt) return { ok: false, code: "EMAIL_NOT_VERIFIED" };
  await deps.kv.reset(accountKey(email));
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
