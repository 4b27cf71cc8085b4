import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="auth-shell" data-testid="not-found">
      <h1>Page not found</h1>
      <p className="muted">There is no page at this address. It may have moved, or the link has a typo.</p>
      <div className="row">
        <Link className="button" href="/dashboard">Go to the dashboard</Link>
        <Link className="button secondary" href="/">Home</Link>
      </div>
    </main>
  );
}
