import type { Metadata } from "next";
import Link from "next/link";
import { TestWidget } from "@/components/test-widget";
import { serverApi } from "@/lib/server-api";

export const metadata: Metadata = { title: "Overview" };

export default async function DashboardPage() {
  const api = await serverApi();
  const tenant = await api.tenant.current();
  const canManage = tenant.role !== "member";
  const checklist = canManage ? await api.tenant.checklist() : [];
  const done = checklist.filter((i) => i.done).length;
  return (
    <div data-testid="dashboard">
      <h1>{`Welcome to ${tenant.name}`}</h1>
      <div className="grid2">
        {canManage ? (
          <section className="card" aria-labelledby="getting-started">
            <h2 id="getting-started">Getting started</h2>
            <p className="muted">{`${done} of ${checklist.length} done`}</p>
            <ul className="checklist">
              {checklist.map((item) => (
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
        ) : (
          <section className="card">
            <h2>Your workspace</h2>
            <p className="muted">You are a member of {tenant.name}. Owners and admins set up channels, models and flows; you can try the bot here.</p>
          </section>
        )}
        <section className="card">
          <h2>Try your bot</h2>
          <TestWidget />
        </section>
      </div>
    </div>
  );
}
