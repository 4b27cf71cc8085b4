"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";

/**
 * Sign-up for an invited person: the address is the invited one (shown, not editable) and there is no
 * company to create. The emailed link proves the address, so the account is ready at once and the
 * person is logged in and taken to the inviting workspace.
 */
export function InvitedSignupForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [joinedButLoggedOut, setJoinedButLoggedOut] = useState(false);
  const { fields, error, pending, onSubmit } = useFormSubmit(
    async (form) => {
      const password = String(form.get("password") ?? "");
      await api.auth.signupWithInvitation.mutate({ token, password, confirmPassword: String(form.get("confirmPassword") ?? "") });
      // Logging in is outside the form's error handling: the account exists by now, so this is not a failed sign-up.
      void logIn(password);
    },
    { keepPendingOnSuccess: true },
  );

  async function logIn(password: string) {
    const login = await signIn("credentials", { email, password, redirect: false });
    if (!login || login.error) {
      setJoinedButLoggedOut(true);
      return;
    }
    router.push("/dashboard");
    router.refresh();
  }

  if (joinedButLoggedOut) {
    return (
      <p className="notice" role="status" data-testid="invite-joined">
        Your account is ready and you are a member. <Link href="/login">Log in</Link> to open the workspace.
      </p>
    );
  }
  return (
    <>
      <p className="muted">Choose a password to create your account.</p>
      {error ? <p className="alert" role="alert" data-testid="form-error">{error}</p> : null}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" name="email" type="email" testId="email" value={email} readOnly autoComplete="username" />
        <Field label="Password" name="password" type="password" testId="password" autoComplete="new-password" errors={fields.password} required />
        <Field label="Confirm password" name="confirmPassword" type="password" testId="confirm-password" autoComplete="new-password" errors={fields.confirmPassword} required />
        <button type="submit" data-testid="submit-registration" disabled={pending}>
          {pending ? "Creating account…" : "Create account and join"}
        </button>
      </form>
    </>
  );
}
