import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Flow not found" };

/** A deleted flow, a mistyped address, or a flow of another workspace: the way back is one click. */
export default function FlowNotFound() {
  return (
    <div data-testid="not-found">
      <h1>Flow not found</h1>
      <section className="card">
        <p>There is no flow at this address in this workspace. It may have been deleted, or it belongs to another workspace.</p>
        <Link className="button" href="/dashboard/flows">
          Back to your flows
        </Link>
      </section>
    </div>
  );
}
