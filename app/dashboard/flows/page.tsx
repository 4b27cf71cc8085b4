import type { inferRouterOutputs } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { FlowEditor } from "@/components/flow-editor";
import { serverApi } from "@/lib/server-api";
import type { AppRouter } from "@/server/trpc/root";
import { DeleteFlowButton } from "./delete-flow-button";
import { ImportFlowForm } from "./import-flow-form";
import { timeAgo } from "@/lib/time-ago";

export const metadata: Metadata = { title: "Flows" };

type FlowRow = inferRouterOutputs<AppRouter>["flows"]["list"][number];

function LiveVersion({ live, now }: { live: FlowRow | undefined; now: Date }) {
  if (!live?.publishedAt) {
    return <p data-testid="live-version">Not published yet: conversations use the starter flow, which greets visitors and offers to pass them to your team.</p>;
  }
  return (
    <p data-testid="live-version">
      {`New conversations get version ${live.publishedVersion} of "${live.name}", published `}
      <time dateTime={live.publishedAt.toISOString()} title={live.publishedAt.toUTCString()}>
        {timeAgo(live.publishedAt, now)}
      </time>
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
  const api = await serverApi();
  const [tenant, flows, { flow: openId }] = await Promise.all([api.tenant.current(), api.flows.list(), searchParams]);
  const canManage = tenant.role !== "member";
  const open = flows.some((f) => f.id === openId) ? await api.flows.get({ flowId: openId! }) : null;
  const now = new Date();

  return (
    <div>
      <h1>Flows</h1>
      <p className="muted">
        The conversation your bot follows on every channel. Write one in the <Link href="/docs/flows">flow format</Link>, check its
        draft here, and publish it.
      </p>
      <section className="card" aria-label="Flows">
        <LiveVersion live={flows.find((f) => f.live)} now={now} />
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {flows.map((f) => (
              <tr key={f.id} data-testid="flow-row" aria-current={f.id === open?.id ? "true" : undefined}>
                <td>{f.name}</td>
                <td><Status flow={f} /></td>
                <td>{timeAgo(f.updatedAt, now)}</td>
                <td className="row">
                  <Link className="button secondary" href={`/dashboard/flows?flow=${f.id}`} data-testid="open-flow">
                    {canManage ? "Edit" : "View"}
                  </Link>
                  {canManage && !f.live ? <DeleteFlowButton id={f.id} name={f.name} published={f.publishedVersion !== null} open={f.id === open?.id} /> : null}
                </td>
              </tr>
            ))}
            {flows.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  {canManage ? "No flows yet. Import one below." : "No flows yet."}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>
      {open ? <FlowEditor key={open.id} flow={open} canManage={canManage} /> : null}
      {canManage ? <ImportFlowForm /> : null}
    </div>
  );
}
