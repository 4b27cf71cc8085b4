"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { Suspense, useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { ResendVerification } from "@/components/resend-verification";
import { loginErrorMessage } from "@/server/auth/login-messages";
import { safeCallbackPath } from "@/server/auth/safe-callback";

function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  // An error next-auth redirected here with (?error=CODE) is shown as a sentence, never as sent.
  const [error, setError] = useState<string | null>(() => (params.get("error") ? loginErrorMessage(params.get("error")) : null));
  const [unverifiedEmail, setUnverifiedEmail] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setError(null);
    setUnverifiedEmail(null);
    if (!email || !password) {
      setError("Enter your email and password.");
      return;
    }
    setPending(true);
    const res = await signIn("credentials", { email, password, redirect: false });
    setPending(false);
    if (!res || res.error) {
      const code = res?.error ?? "";
      setError(loginErrorMessage(code));
      if (code === "EMAIL_NOT_VERIFIED") setUnverifiedEmail(email.toLowerCase());
      return;
    }
    router.push(safeCallbackPath(params.get("callbackUrl")));
    router.refresh();
  }

  return (
    <main className="auth-shell">
      <h1>Log in</h1>
      {params.get("verified") ? <p className="notice">Your email is verified. Log in to continue.</p> : null}
      {params.get("passwordChanged") ? <p className="notice">Your password was changed. Log in with the new one.</p> : null}
      {error ? (
        <p className="alert" role="alert" data-testid="login-error">
          {error}
        </p>
      ) : null}
      {unverifiedEmail ? <ResendVerification email={unverifiedEmail} /> : null}
      <form onSubmit={onSubmit} noValidate>
        <Field label="Email" name="email" type="email" testId="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" testId="password" autoComplete="current-password" required />
        <button type="submit" data-testid="login-button" disabled={pending}>
          {pending ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p><Link href="/forgot-password" data-testid="forgot-password">Forgot your password?</Link></p>
      <p className="muted">New here? <Link href="/signup">Create an account</Link></p>
    </main>
  );
}

export default function LoginPage() {
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
