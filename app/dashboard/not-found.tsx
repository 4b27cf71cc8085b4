import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

/** Inside the dashboard's layout, so the navigation stays and the way back is one click. */
export default function DashboardNotFound() {
  return (
    <div data-testid="not-found">
      <h1>Page not found</h1>
      <section className="card">
        <p>There is no dashboard page at this address, or what it showed no longer exists in this workspace.</p>
        <Link className="button" href="/dashboard">Back to the overview</Link>
      </section>
    </div>
  );
}
