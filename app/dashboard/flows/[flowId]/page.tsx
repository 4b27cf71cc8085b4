import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { FlowBuilder, type EditableFlow } from "@/components/flow-builder/flow-builder";
import { serverApi } from "@/lib/server-api";
import { timeAgo } from "@/lib/time-ago";
import { env } from "@/server/env";
import styles from "./page.module.css";

type Params = { params: Promise<{ flowId: string }> };

/** One load per request for the title and the page. No flow at this id in this workspace (or no id at all) is a 404. */
const loadFlow = cache(async (flowId: string) => {
  const api = await serverApi();
  try {
    return await api.flows.get({ flowId });
  } catch (e) {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const flow = await loadFlow((await params).flowId);
  return { title: `${flow.name} · Flows` };
}

function Published({ flow }: { flow: EditableFlow }) {
  if (flow.liveVersion !== null) return <>{`Live: version ${flow.liveVersion}.`}</>;
  if (flow.publishedVersion !== null) return <>{`Version ${flow.publishedVersion} published; another flow is live.`}</>;
  return <>Never published.</>;
}

export default async function FlowEditorPage({ params }: Params) {
  const { flowId } = await params;
  const api = await serverApi();
  const [flow, tenant] = await Promise.all([loadFlow(flowId), api.tenant.current()]);
  return (
    <div className={styles.page} data-testid="flow-editor-page">
      <header className={styles.header}>
        <Link href="/dashboard/flows" className={styles.back}>
          ← All flows
        </Link>
        <h1 className={styles.title}>{flow.name}</h1>
        <span className="muted" data-testid="flow-published">
          <Published flow={flow} />
          {` Last edited ${timeAgo(flow.updatedAt, new Date())}${flow.updatedBy ? ` by ${flow.updatedBy}` : ""}.`}
        </span>
      </header>
      <FlowBuilder key={flow.id} flow={flow} canManage={tenant.role !== "member"} allowedHosts={env().OUTBOUND_ALLOWED_HOSTS} />
    </div>
  );
}
