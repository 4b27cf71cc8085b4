import type { Metadata } from "next";
import Link from "next/link";
import { ResendVerification } from "@/components/resend-verification";
import { getDb } from "@/server/db";
import { isAppError } from "@/server/errors/app-error";
import { verifyEmailToken } from "@/server/auth/verification";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Email verification" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  let outcome: { ok: true } | { ok: false; message: string; email?: string };
  try {
    if (!token) throw new Error("missing");
    await verifyEmailToken(getDb(), token);
    outcome = { ok: true };
  } catch (e) {
    outcome = isAppError(e)
      ? { ok: false, message: e.message, email: (e.details as { email?: string } | undefined)?.email }
      : { ok: false, message: "This verification link is not valid." };
  }
  return (
    <main className="auth-shell">
      <h1>Email verification</h1>
      {outcome.ok ? (
        <>
          <p className="notice" data-testid="confirmation-message">
            Your email address is verified. You can now log in.
          </p>
          <Link className="button" href="/login?verified=1">Log in</Link>
        </>
      ) : (
        <>
          <p className="alert" role="alert" data-testid="verification-error">
            {outcome.message}
          </p>
          {outcome.email ? <ResendVerification email={outcome.email} /> : <Link href="/login">Back to log in</Link>}
        </>
      )}
    </main>
  );
}
