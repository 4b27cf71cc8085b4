"use client";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";

/** A changed password ends every session, this one too, so a success goes straight to the login page. */
export function ChangePasswordForm() {
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    setFields({});
    try {
      await api.auth.changePassword.mutate({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("newPassword") ?? "") });
      await signOut({ callbackUrl: "/login?passwordChanged=1" });
    } catch (err) {
      const described = describeError(err);
      setFields(described.fields);
      setError(described.message);
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate data-testid="change-password-form">
      {error ? <p className="alert" role="alert">{error}</p> : null}
      <Field label="Current password" name="currentPassword" type="password" testId="current-password" autoComplete="current-password" errors={fields.currentPassword} required />
      <Field label="New password" name="newPassword" type="password" testId="new-password" autoComplete="new-password" errors={fields.newPassword} required />
      <button type="submit" data-testid="change-password" disabled={pending}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
