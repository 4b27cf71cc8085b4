import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Kv } from "../cache/kv";
import { env } from "../env";
import { DUMMY_HASH, verifyPassword } from "./passwords";
import { addressBucket, takeSlots, type Bucket } from "./throttle";

export const LOGIN_WINDOW_MS = 5 * 60 * 1000;
/** Password checks per account per window; the right password clears the account's count. */
export const LOGIN_MAX_PER_ACCOUNT = 5;
/**
 * Password checks per client address per window, successful ones included (a slot is taken before the
 * password is known). Higher than the account limit so a team behind one NAT can still log in
 * (LOGINS_PER_ADDRESS, default 20).
 */
export const loginMaxPerAddress = (): number => env().LOGINS_PER_ADDRESS;

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string | null; sessionVersion: number } }
  | { ok: false; code: "INVALID_CREDENTIALS" | "EMAIL_NOT_VERIFIED" }
  | { ok: false; code: "TOO_MANY_ATTEMPTS"; retryAfterSeconds: number };

const accountKey = (email: string) => `login:acct:${email}`;

/** The client address's password checks; a password reset's token check takes from the same bucket. */
export const loginAddressBuckets = (ip: string | null): Bucket[] => addressBucket("login", ip, loginMaxPerAddress(), LOGIN_WINDOW_MS);

/** The slots one password check takes: the client address's (when known), then the account's. */
export const passwordCheckBuckets = (email: string, ip: string | null): Bucket[] => [
  ...loginAddressBuckets(ip),
  { key: accountKey(email), limit: LOGIN_MAX_PER_ACCOUNT, windowMs: LOGIN_WINDOW_MS },
];

/** After the right password: the owner is back, so earlier slips stop counting against the account. */
export async function clearAccountChecks(kv: Kv, email: string): Promise<void> {
  // An unreachable store was already logged when the slots were taken.
  await kv.reset(accountKey(email)).catch(() => {});
}

/**
 * Checks credentials under throttling. Every attempt takes its slots before the password is evaluated,
 * so twenty parallel guesses at one account get five evaluations, not more. `ip` is the resolved client
 * address (null when unknown: then only the account is limited).
 */
export async function authenticate(deps: { db: Db; kv: Kv }, input: { email: string; password: string; ip: string | null }, now = Date.now()): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const slot = await takeSlots(deps.kv, passwordCheckBuckets(email, input.ip), now);
  if (!slot.allowed) return { ok: false, code: "TOO_MANY_ATTEMPTS", retryAfterSeconds: slot.retryAfterSeconds };
  const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !valid) return { ok: false, code: "INVALID_CREDENTIALS" };
  await clearAccountChecks(deps.kv, email);
  if (!user.emailVerifiedAt) return { ok: false, code: "EMAIL_NOT_VERIFIED" };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}
