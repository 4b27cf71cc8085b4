import type { inferRouterOutputs } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverApi } from "@/lib/server-api";
import { timeAgo } from "@/lib/time-ago";
import type { AppRouter } from "@/server/trpc/root";
import { CreateFlowForm } from "./create-flow-form";
import { FlowRowActions } from "./flow-row-actions";
import { ImportFlowForm } from "./import-flow-form";

export const metadata: Metadata = { title: "Flows" };

type FlowRow = inferRouterOutputs<AppRouter>["flows"]["list"][number];

function When({ at, now }: { at: Date; now: Date }) {
  return (
    <time dateTime={at.toISOString()} title={at.toUTCString()}>
      {timeAgo(at, now)}
    </time>
  );
}

function LiveVersion({ live, now }: { live: FlowRow | undefined; now: Date }) {
  if (!live?.publishedAt) {
    return <p data-testid="live-version">Not published yet: conversations use the starter flow, which greets visitors and offers to pass them to your team.</p>;
  }
  return (
    <p data-testid="live-version">
      {`New conversations get version ${live.publishedVersion} of "${live.name}", published `}
      <When at={live.publishedAt} now={now} />
      {live.publishedBy ? ` by ${live.publishedBy}.` : "."} Conversations already running keep the version they started with.
    </p>
  );
}

function Status({ flow }: { flow: FlowRow }) {
  if (flow.live) return <span className="badge" data-testid="flow-live">{`Live · v${flow.publishedVersion}`}</span>;
  if (flow.publishedVersion) return <span className="muted">{`v${flow.publishedVersion}, replaced by the live flow`}</span>;
  return <span className="muted">Draft, never published</span>;
}

export default async function FlowsPage({ searchParams }: { searchParams: Promise<{ flow?: string }> }) {
  // Links from before the editor had its own page.
  const { flow: oldLink } = await searchParams;
  if (oldLink) redirect(`/dashboard/flows/${encodeURIComponent(oldLink)}`);

  const api = await serverApi();
  const [tenant, flows] = await Promise.all([api.tenant.current(), api.flows.list()]);
  const canManage = tenant.role !== "member";
  const templates = canManage ? await api.flows.templates() : [];
  const now = new Date();

  return (
    <div>
      <h1>Flows</h1>
      <p className="muted">
        The conversation your bot follows on every channel. Build one on the canvas, from a template or from scratch, try it, and publish it. The{" "}
        <Link href="/docs/flows">flow format</Link> describes what each state does.
      </p>
      <section className="card" aria-label="Flows">
        <LiveVersion live={flows.find((f) => f.live)} now={now} />
        <div className="scroll-x">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Live version</th>
                <th>Last edited</th>
                <th>States</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {flows.map((f) => (
                <tr key={f.id} data-testid="flow-row" data-flow-id={f.id}>
                  <td data-testid="flow-name-cell">{f.name}</td>
                  <td><Status flow={f} /></td>
                  <td data-testid="flow-edited">
                    <When at={f.updatedAt} now={now} />
                    {f.updatedBy ? ` by ${f.updatedBy}` : null}
                  </td>
                  <td data-testid="flow-states">{f.stateCount}</td>
                  <td className="row">
                    <Link className="button secondary" href={`/dashboard/flows/${f.id}`} data-testid="open-flow">
                      {canManage ? "Edit" : "View"}
                    </Link>
                    <FlowRowActions flow={f} canManage={canManage} />
                  </td>
                </tr>
              ))}
              {flows.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    {canManage ? "No flows yet. Create one below, from a template or blank, or import a flow file." : "No flows yet."}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
      {canManage ? (
        <div className="grid2">
          <CreateFlowForm templates={templates} />
          <ImportFlowForm />
        </div>
      ) : null}
    </div>
  );
}
