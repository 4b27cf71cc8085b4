"use client";
import Link from "next/link";
import { useState } from "react";
import { Field } from "@/components/field";
import { ResendVerification } from "@/components/resend-verification";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";

export default function SignupPage() {
  const [registered, setRegistered] = useState<string | null>(null);
  const { fields, error, pending, onSubmit } = useFormSubmit(async (form) => {
    const res = await api.auth.signup.mutate({
      companyName: String(form.get("companyName") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    });
    setRegistered(res.email);
  });

  if (registered) {
    return (
      <main className="auth-shell" data-testid="email-confirmation">
        <h1>Verify your email</h1>
        {/* The same answer whether or not the address already has an account: sign-up must not tell. */}
        <p data-testid="confirmation-message">
          Please verify your email: we sent a link to <strong>{registered}</strong>. Open it to activate your account, then log in.
        </p>
        <p className="muted">If this address already has an account, the email has a link to log in instead.</p>
        <ResendVerification email={registered} />
        <p><Link href="/login">Go to log in</Link></p>
      </main>
    );
  }

  return (
    <main className="auth-shell">
      <h1>Create your account</h1>
      <p className="muted">Start building your bot in minutes.</p>
      {error ? <p className="alert" role="alert" data-testid="form-error">{error}</p> : null}
      {/* noValidate: the server's messages are the single source of truth for what is wrong. */}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Company name" name="companyName" testId="company-name" autoComplete="organization" errors={fields.companyName} required />
        <Field label="Work email" name="email" type="email" testId="email" autoComplete="email" errors={fields.email} required />
        <Field label="Password" name="password" type="password" testId="password" autoComplete="new-password" errors={fields.password} required />
        <Field label="Confirm password" name="confirmPassword" type="password" testId="confirm-password" autoComplete="new-password" errors={fields.confirmPassword} required />
        <button type="submit" data-testid="submit-registration" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p className="muted">Already have an account? <Link href="/login">Log in</Link></p>
    </main>
  );
}

