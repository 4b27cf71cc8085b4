import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { passwordResetTokens, users } from "@/db/schema";
import type { Kv } from "../cache/kv";
import type { Mailer } from "../email/mailer";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { randomToken, sha256 } from "../security/crypto";
import { clearAccountChecks, loginAddressBuckets } from "./login";
import { loginErrorMessage } from "./login-messages";
import { passwordResetBuckets, TOO_MANY_MAILS } from "./mail-limits";
import { newPasswordUpdate } from "./password-change";
import { hashPassword } from "./passwords";
import { enforceSlots } from "./throttle";
import { describeDuration } from "./verification";

type ResetDeps = { db: Db; kv: Kv; mailer: Mailer };

export const RESET_LINK_MESSAGES = {
  unknown: "This password reset link is not valid. Request a new one below.",
  used: "This password reset link was already used. Request a new one below.",
  replaced: "A newer password reset link was sent after this one. Use the link in the newest email, or request a new one below.",
  expired: "This password reset link has expired. Request a new one below.",
} as const;

/**
 * Answers as soon as the request is counted: finding the account and mailing the link happen after the
 * answer (`delivery`), so neither the answer nor its timing tells whether the address has an account.
 * An unknown address gets no mail at all: a "no account here" mail would let anyone send our mail to any
 * inbox, and its owner never asked for it. The limits are taken for every address alike.
 */
export async function requestPasswordReset(deps: ResetDeps, input: { email: string; ip: string | null }, now = new Date()): Promise<{ delivery: Promise<void> }> {
  await enforceSlots(deps.kv, passwordResetBuckets(input.email, input.ip), TOO_MANY_MAILS);
  const delivery = mailResetLink(deps, input.email, now).catch((error: unknown) => {
    console.error("[auth] password reset mail failed", error);
  });
  return { delivery };
}

async function mailResetLink(deps: ResetDeps, email: string, now: Date): Promise<void> {
  const [user] = await deps.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) return;
  const token = randomToken();
  const ttlSeconds = env().PASSWORD_RESET_TTL_SECONDS;
  // createdAt from the same clock as expiresAt: the newest link of a user is the only one that works.
  await deps.db.insert(passwordResetTokens).values({ userId: user.id, tokenHash: sha256(token), createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) });
  // APP_URL, never the request's Host: a forged Host header must not put someone else's site in the mail.
  const link = `${env().APP_URL}/reset-password?token=${encodeURIComponent(token)}`;
  const expires = `This link expires in ${describeDuration(ttlSeconds)} and works once.`;
  const notYou = "If you did not ask for this, ignore this email: your password stays as it is.";
  await deps.mailer.send({
    to: user.email,
    subject: "Reset your password",
    text: `Someone (hopefully you) asked to reset the password of your account. Choose a new password here:\n\n${link}\n\n${expires}\n\n${notYou}`,
    html: `<p>Someone (hopefully you) asked to reset the password of your account.</p><p><a href="${link}">Choose a new password</a></p><p>${expires}</p><p>${notYou}</p>`,
  });
}

type UsableLink = { tokenId: string; userId: string; email: string };

/**
 * The account a reset link opens, or an AppError saying plainly why it does not: NOT_FOUND for a link
 * that never existed, GONE for one that was used, replaced by a newer one, or has expired. The token is
 * looked up by its hash, so the comparison never runs over the secret itself.
 */
export async function checkResetLink(db: Db, token: string, now = new Date()): Promise<UsableLink> {
  const [row] = await db
    .select({ tokenId: passwordResetTokens.id, userId: users.id, email: users.email, expiresAt: passwordResetTokens.expiresAt, usedAt: passwordResetTokens.usedAt })
    .from(passwordResetTokens)
    .innerJoin(users, eq(users.id, passwordResetTokens.userId))
    .where(eq(passwordResetTokens.tokenHash, sha256(token)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", RESET_LINK_MESSAGES.unknown);
  if (row.usedAt) throw new AppError("GONE", RESET_LINK_MESSAGES.used);
  const [newest] = await db
    .select({ id: passwordResetTokens.id })
    .from(passwordResetTokens)
    .where(eq(passwordResetTokens.userId, row.userId))
    .orderBy(desc(passwordResetTokens.createdAt), desc(passwordResetTokens.id))
    .limit(1);
  if (newest?.id !== row.tokenId) throw new AppError("GONE", RESET_LINK_MESSAGES.replaced);
  if (row.expiresAt <= now) throw new AppError("GONE", RESET_LINK_MESSAGES.expired);
  return { tokenId: row.tokenId, userId: row.userId, email: row.email };
}

/**
 * Sets the new password through a reset link, once. Every session of the account ends (as with a password
 * change), the login lock-out of the account is lifted, and the address counts as verified: the link only
 * reached whoever reads that inbox, the same proof the verification link asks for. Token checks take the
 * client address's login slots, so guessing links costs what guessing passwords does.
 */
export async function resetPassword(deps: { db: Db; kv: Kv }, input: { token: string; password: string; ip: string | null }, now = new Date()): Promise<{ email: string }> {
  await enforceSlots(deps.kv, loginAddressBuckets(input.ip), loginErrorMessage("TOO_MANY_ATTEMPTS"));
  const link = await checkResetLink(deps.db, input.token, now);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    // Only the request that marks the link used may set the password: two submissions of one link set it once.
    const claimed = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.id, link.tokenId), isNull(passwordResetTokens.usedAt)))
      .returning({ id: passwordResetTokens.id });
    if (claimed.length === 0) throw new AppError("GONE", RESET_LINK_MESSAGES.used);
    await tx
      .update(users)
      .set({ ...newPasswordUpdate(passwordHash), emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(users.id, link.userId));
  });
  await clearAccountChecks(deps.kv, link.email);
  return { email: link.email };
}
