"use client";
import Link from "next/link";
import { TestWidget } from "@/components/test-widget";
import { api } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

export default function DashboardPage() {
  const tenant = useQuery(() => api.tenant.current.query());
  const checklist = useQuery(() => api.tenant.checklist.query());
  const done = checklist.data?.filter((i) => i.done).length ?? 0;
  return (
    <div data-testid="dashboard">
      <h1>{tenant.data ? `Welcome to ${tenant.data.name}` : "Dashboard"}</h1>
      {tenant.error ? <p className="alert">{tenant.error}</p> : null}
      <div className="grid2">
        <section className="card" aria-labelledby="getting-started">
          <h2 id="getting-started">Getting started</h2>
          <p className="muted">{checklist.data ? `${done} of ${checklist.data.length} done` : "Loading…"}</p>
          <ul className="checklist">
            {checklist.data?.map((item) => (
              <li key={item.key} data-testid="checklist-item" data-done={item.done} data-key={item.key}>
                <span className={`check ${item.done ? "done" : ""}`} aria-label={item.done ? "done" : "to do"}>
                  {item.done ? "✓" : ""}
                </span>
                <Link href={item.href}>{item.label}</Link>
              </li>
            ))}
          </ul>
          <p style={{ marginTop: "1rem" }}>
            <Link className="button" href="/dashboard/channels" data-testid="setup-channels">
              Set up channels
            </Link>
          </p>
        </section>
        <section className="card">
          <h2>Try your bot</h2>
          <TestWidget />
        </section>
      </div>
    </div>
  );
}
