"use client";
import Link from "next/link";
import { useState } from "react";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";

/** `linkLifetime`: how long an emailed link works, in words ("1 hour"). */
export function ForgotPasswordForm({ linkLifetime }: { linkLifetime: string }) {
  const [requested, setRequested] = useState<string | null>(null);
  const { fields, error, pending, onSubmit } = useFormSubmit(async (form) => {
    const email = String(form.get("email") ?? "");
    await api.auth.requestPasswordReset.mutate({ email });
    setRequested(email.trim().toLowerCase());
  });

  if (requested) {
    return (
      <main className="auth-shell">
        <h1>Check your inbox</h1>
        {/* The same words whether or not the address has an account: this page must not tell. */}
        <p className="notice" data-testid="reset-requested">
          If <strong>{requested}</strong> belongs to an account, we sent it a link to choose a new password. The link works once, for {linkLifetime}.
        </p>
        <p className="muted">No email after a few minutes? Check your spam folder, or <button type="button" className="secondary" onClick={() => setRequested(null)}>try another address</button></p>
        <p><Link href="/login">Back to log in</Link></p>
      </main>
    );
  }

  return (
    <main className="auth-shell">
      <h1>Reset your password</h1>
      <p className="muted">Enter the email address you log in with, and we will send you a link to choose a new password.</p>
      {error ? <p className="alert" role="alert" data-testid="form-error">{error}</p> : null}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" name="email" type="email" testId="reset-email" autoComplete="email" errors={fields.email} required />
        <button type="submit" data-testid="send-reset" disabled={pending}>
          {pending ? "Sending…" : "Send reset link"}
        </button>
      </form>
      <p className="muted">Remembered it? <Link href="/login">Log in</Link></p>
    </main>
  );
}
