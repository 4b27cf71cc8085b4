"use client";
import Link from "next/link";
import { TRPCClientError } from "@trpc/client";
import { useState } from "react";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import { ResetLinkProblem } from "./reset-link-problem";

/** The link went dead between opening the page and saving (used in another tab, replaced, expired). */
const isDeadLink = (err: unknown) => err instanceof TRPCClientError && ["NOT_FOUND", "GONE"].includes((err.data as { appCode?: string } | undefined)?.appCode ?? "");

export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const [deadLink, setDeadLink] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const { fields, error, pending, onSubmit } = useFormSubmit(
    async (form) => {
      await api.auth.resetPassword.mutate({ token, password: String(form.get("password") ?? ""), confirmPassword: String(form.get("confirmPassword") ?? "") });
      setDone(true);
    },
    {
      onError(err, described) {
        if (isDeadLink(err)) setDeadLink(described.message);
      },
    },
  );

  if (deadLink) return <ResetLinkProblem message={deadLink} />;
  if (done) {
    return (
      <main className="auth-shell">
        <h1>Password changed</h1>
        <p className="notice" data-testid="reset-done">
          Your new password is set, and every device that was logged in has been signed out. Log in with the new password.
        </p>
        <Link className="button" href="/login?passwordChanged=1">Log in</Link>
      </main>
    );
  }

  return (
    <main className="auth-shell">
      <h1>Choose a new password</h1>
      <p className="muted">For <strong>{email}</strong>: at least 10 characters, with letters and numbers.</p>
      {error ? <p className="alert" role="alert" data-testid="form-error">{error}</p> : null}
      <form onSubmit={onSubmit} noValidate>
        {/* Lets a password manager store the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <Field label="New password" name="password" type="password" testId="new-password" autoComplete="new-password" errors={fields.password} required />
        <Field label="Confirm new password" name="confirmPassword" type="password" testId="confirm-new-password" autoComplete="new-password" errors={fields.confirmPassword} required />
        <button type="submit" data-testid="save-new-password" disabled={pending}>
          {pending ? "Saving…" : "Save new password"}
        </button>
      </form>
    </main>
  );
}
