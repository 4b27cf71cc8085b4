import type { Metadata } from "next";
import { env } from "@/server/env";
import { describeDuration } from "@/server/auth/verification";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Reset your password" };

export default function ForgotPasswordPage() {
  return <ForgotPasswordForm linkLifetime={describeDuration(env().PASSWORD_RESET_TTL_SECONDS)} />;
}
