import type { Db } from "@/db/client";
import type { Mailer } from "../email/mailer";
import { createTenantWithOwner } from "../tenants/tenant-service";
import { hashPassword } from "./passwords";
import type { SignupInput } from "./schemas";
import { sendVerificationEmail } from "./verification";

/** Self-service sign-up: a new tenant, its unverified owner, and a verification email. Never auto-verifies. */
export async function registerTenantOwner(db: Db, mailer: Mailer, input: SignupInput) {
  const { tenant, user } = await createTenantWithOwner(db, {
    companyName: input.companyName,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    verified: false,
  });
  await sendVerificationEmail(db, mailer, user);
  return { tenantId: tenant.id, userId: user.id, email: user.email };
}
