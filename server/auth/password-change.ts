import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Kv } from "../cache/kv";
import { AppError } from "../errors/app-error";
import { clearAccountChecks, passwordCheckBuckets } from "./login";
import { hashPassword, verifyPassword } from "./passwords";
import { nextSessionVersion } from "./session";
import { enforceSlots } from "./throttle";

/**
 * Sets a new password after checking the current one, and ends every session of the user, this one
 * included: whoever knew the old password or held a session cookie is out. The current-password check
 * takes the same throttle slots as a login, so a stolen session cannot be used to guess the password.
 */
export async function changePassword(
  deps: { db: Db; kv: Kv },
  input: { userId: string; currentPassword: string; newPassword: string; ip: string | null },
): Promise<void> {
  const [user] = await deps.db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId)).limit(1);
  if (!user) throw new AppError("UNAUTHORIZED", "Log in to continue.");
  await enforceSlots(deps.kv, passwordCheckBuckets(user.email, input.ip), "Too many attempts. Please wait 5 minutes and try again.");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION_ERROR", "Your current password is not correct.", { fields: { currentPassword: "Your current password is not correct." } });
  }
  await clearAccountChecks(deps.kv, user.email);
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.update(users).set(newPasswordUpdate(passwordHash)).where(eq(users.id, input.userId));
}

/** The user update that stores a new password: every earlier session ends with it (a change or a reset alike). */
export const newPasswordUpdate = (passwordHash: string) => ({ passwordHash, sessionVersion: nextSessionVersion() });
