import type { Metadata } from "next";
import { checkResetLink, RESET_LINK_MESSAGES } from "@/server/auth/password-reset";
import { resetTokenSchema } from "@/server/auth/password-reset-schemas";
import { getDb } from "@/server/db";
import { isAppError } from "@/server/errors/app-error";
import { ResetLinkProblem } from "./reset-link-problem";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

export const dynamic = "force-dynamic";

/** Checks the link before asking for a password, so nobody types a new one into a dead link. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const token = resetTokenSchema.safeParse((await searchParams).token);
  if (!token.success) return <ResetLinkProblem message={RESET_LINK_MESSAGES.unknown} />;
  let email: string;
  try {
    ({ email } = await checkResetLink(getDb(), token.data));
  } catch (e) {
    if (!isAppError(e)) throw e;
    return <ResetLinkProblem message={e.message} />;
  }
  return <ResetPasswordForm token={token.data} email={email} />;
}
