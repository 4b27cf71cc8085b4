"use client";
import { signOut } from "next-auth/react";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";

/** A changed password ends every session, this one too, so a success goes straight to the login page. */
export function ChangePasswordForm() {
  const { fields, error, pending, onSubmit } = useFormSubmit(
    async (form) => {
      await api.auth.changePassword.mutate({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword: String(form.get("newPassword") ?? "") });
      await signOut({ callbackUrl: "/login?passwordChanged=1" });
    },
    { keepPendingOnSuccess: true },
  );

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
