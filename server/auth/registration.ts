import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Kv } from "../cache/kv";
import type { Mailer } from "../email/mailer";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { claimInvitation, describeInvitation } from "../tenants/invitations";
import type { InvitedSignupInput } from "../tenants/team-schemas";
import { createTenantWithOwner, isEmailTaken } from "../tenants/tenant-service";
import { signupBuckets, TOO_MANY_MAILS } from "./mail-limits";
import { hashPassword } from "./passwords";
import type { SignupInput } from "./schemas";
import { enforceSlots } from "./throttle";
import { sendVerificationEmail } from "./verification";

export type SignupDeps = { db: Db; kv: Kv; mailer: Mailer };

/**
 * Self-service sign-up: a new tenant, its unverified owner, and a verification email. Never auto-verifies.
 * The answer is the same whether or not the email already has an account, so sign-up cannot be used to
 * find out who is a customer; the existing account's owner gets a mail saying so instead.
 */
export async function registerTenantOwner(deps: SignupDeps, input: SignupInput, ip: string | null): Promise<{ email: string }> {
  await enforceSlots(deps.kv, signupBuckets(input.email, ip), TOO_MANY_MAILS);
  const passwordHash = await hashPassword(input.password);
  try {
    const { user } = await createTenantWithOwner(deps.db, { companyName: input.companyName, email: input.email, passwordHash, verified: false });
    await sendVerificationEmail(deps.db, deps.mailer, user);
  } catch (error) {
    if (!isEmailTaken(error)) throw error;
    await remindExistingAccount(deps, input.email);
  }
  return { email: input.email };
}

/** A verified account gets a login link; an unverified one the verification link it may have lost. */
async function remindExistingAccount(deps: SignupDeps, email: string): Promise<void> {
  const [user] = await deps.db.select({ id: users.id, email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) return;
  if (!user.verifiedAt) return sendVerificationEmail(deps.db, deps.mailer, user);
  const link = `${env().APP_URL}/login`;
  await deps.mailer.send({
    to: user.email,
    subject: "You already have an account",
    text: `Someone (maybe you) tried to sign up with this email address, but you already have an account.\n\nLog in here:\n${link}\n\nIf this was not you, you can ignore this email: nothing was changed.`,
    html: `<p>Someone (maybe you) tried to sign up with this email address, but you already have an account.</p><p><a href="${link}">Log in</a></p><p>If this was not you, you can ignore this email: nothing was changed.</p>`,
  });
}

/**
 * Sign-up from an invitation link: an account for the invited address, a member of the inviting workspace
 * and of no other (no company to create). The link was mailed to that address, so using it proves the
 * mailbox as a verification link would: the account starts verified. The address comes from the
 * invitation, never from the form, so the link cannot verify any other address.
 */
export async function registerInvitedUser(deps: SignupDeps, input: InvitedSignupInput, ip: string | null, now = new Date()) {
  const invite = await describeInvitation(deps.db, input.token, now);
  await enforceSlots(deps.kv, signupBuckets(invite.email, ip), TOO_MANY_MAILS);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const [user] = await tx.insert(users).values({ email: invite.email, passwordHash, emailVerifiedAt: now }).onConflictDoNothing({ target: users.email }).returning({ id: users.id });
    // The link's holder reads the mailbox, so saying the address has an account tells them nothing new.
    if (!user) throw new AppError("CONFLICT", `${invite.email} already has an account. Log in to accept the invitation.`);
    await claimInvitation(tx, input.token, invite, user.id, now);
  });
  return { email: invite.email, tenantId: invite.tenantId, tenantName: invite.tenantName };
}
