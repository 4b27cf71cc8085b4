import Link from "next/link";

/** A reset link that cannot be used: why, in words, and the way to a new one. */
export function ResetLinkProblem({ message }: { message: string }) {
  return (
    <main className="auth-shell">
      <h1>Choose a new password</h1>
      <p className="alert" role="alert" data-testid="reset-error">
        {message}
      </p>
      <p>
        <Link className="button" href="/forgot-password">Request a new link</Link>
      </p>
      <p className="muted"><Link href="/login">Back to log in</Link></p>
    </main>
  );
}
