import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, verificationTokens } from "@/db/schema";
import type { Kv } from "../cache/kv";
import { env } from "../env";
import type { Mailer } from "../email/mailer";
import { AppError } from "../errors/app-error";
import { randomToken, sha256 } from "../security/crypto";
import { resendBuckets, TOO_MANY_MAILS } from "./mail-limits";
import { enforceSlots } from "./throttle";

export function describeDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} minutes`;
  return `${seconds} seconds`;
}

export async function sendVerificationEmail(db: Db, mailer: Mailer, user: { id: string; email: string }, now = new Date()): Promise<void> {
  const token = randomToken();
  const ttlSeconds = env().VERIFICATION_TTL_SECONDS;
  await db.insert(verificationTokens).values({
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  });
  const link = `${env().APP_URL}/verify-email?token=${encodeURIComponent(token)}`;
  await mailer.send({
    to: user.email,
    subject: "Verify your email address",
    text: `Welcome! Confirm your email address to activate your account:\n\n${link}\n\nThis link expires in ${describeDuration(ttlSeconds)}.`,
    html: `<p>Welcome! Confirm your email address to activate your account:</p><p><a href="${link}">Verify my email</a></p><p>This link expires in ${describeDuration(ttlSeconds)}.</p>`,
  });
}

export type VerifyOutcome = { status: "verified"; email: string } | { status: "already_verified"; email: string };

/** Invalid link: NOT_FOUND; expired link: GONE with the email so the page can offer a new one. */
export async function verifyEmailToken(db: Db, token: string, now = new Date()): Promise<VerifyOutcome> {
  const [row] = await db
    .select({ tokenId: verificationTokens.id, expiresAt: verificationTokens.expiresAt, usedAt: verificationTokens.usedAt, userId: users.id, email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(verificationTokens)
    .innerJoin(users, eq(users.id, verificationTokens.userId))
    .where(eq(verificationTokens.tokenHash, sha256(token)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "This verification link is not valid. Request a new one below.");
  if (row.verifiedAt) return { status: "already_verified", email: row.email };
  if (row.usedAt || row.expiresAt <= now) {
    throw new AppError("GONE", "This verification link has expired. Request a new one below.", { email: row.email });
  }
  await db.transaction(async (tx) => {
    await tx.update(verificationTokens).set({ usedAt: now }).where(eq(verificationTokens.id, row.tokenId));
    await tx.update(users).set({ emailVerifiedAt: now }).where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt)));
  });
  return { status: "verified", email: row.email };
}

/** Answers the same whether or not the address exists, so it cannot be used to probe for accounts. */
export async function resendVerification(deps: { db: Db; kv: Kv; mailer: Mailer }, input: { email: string; ip: string | null }): Promise<void> {
  await enforceSlots(deps.kv, resendBuckets(input.email, input.ip), TOO_MANY_MAILS);
  const [user] = await deps.db.select().from(users).where(eq(users.email, input.email)).limit(1);
  if (user && !user.emailVerifiedAt) await sendVerificationEmail(deps.db, deps.mailer, user);
}
