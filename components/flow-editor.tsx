"use client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import type { AppRouter } from "@/server/trpc/root";
import { FlowIssueList, issuesIn, type FlowIssueView } from "./flow-issue-list";

export type EditableFlow = inferRouterOutputs<AppRouter>["flows"]["get"];

type Status = { kind: "ok" | "error"; text: string };

/** The draft of one flow, loaded on the server; members see it read-only. */
export function FlowEditor({ flow, canManage }: { flow: EditableFlow; canManage: boolean }) {
  const router = useRouter();
  const [text, setText] = useState(() => JSON.stringify(flow.draft, null, 2));
  const [issues, setIssues] = useState<FlowIssueView[]>(flow.issues);
  const [status, setStatus] = useState<Status | null>(null);
  const [pending, setPending] = useState(false);

  function refused(error: unknown) {
    setIssues(issuesIn(error));
    setStatus({ kind: "error", text: describeError(error).message });
  }

  async function save(): Promise<boolean> {
    setStatus(null);
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (e) {
      setStatus({ kind: "error", text: `Not valid JSON: ${(e as Error).message}` });
      return false;
    }
    try {
      const updated = await api.flows.saveDraft.mutate({ flowId: flow.id, definition });
      setIssues(updated.issues);
      setStatus({ kind: "ok", text: updated.valid ? "Draft saved." : "Draft saved. Fix the problems listed before publishing." });
      router.refresh();
      return updated.valid;
    } catch (e) {
      refused(e);
      return false;
    }
  }

  async function run(action: () => Promise<unknown>) {
    setPending(true);
    try {
      await action();
    } finally {
      setPending(false);
    }
  }

  async function publish() {
    if (!(await save())) return;
    try {
      const version = await api.flows.publish.mutate({ flowId: flow.id });
      setStatus({ kind: "ok", text: `Published as version ${version.version}. New conversations get it from now on.` });
      router.refresh();
    } catch (e) {
      refused(e);
    }
  }

  return (
    <section className="card" data-testid="flow-editor" aria-labelledby="flow-editor-title">
      <h2 id="flow-editor-title">{flow.name}</h2>
      <p className="muted">
        {flow.versions.length ? `Published versions: ${flow.versions.map((v) => `v${v.version}`).join(", ")}. ` : "Never published. "}
        <Link href="/docs/flows">The flow format</Link>
      </p>
      <div className="field">
        <label htmlFor="flow-draft">Definition (JSON)</label>
        <textarea id="flow-draft" data-testid="flow-draft" rows={18} value={text} readOnly={!canManage} onChange={(e) => setText(e.target.value)} />
      </div>
      <FlowIssueList issues={issues} testId="flow-issues" />
      {status ? (
        <p className={status.kind === "ok" ? "notice" : "alert"} role="status" data-testid="flow-status">
          {status.text}
        </p>
      ) : null}
      {canManage ? (
        <div className="row">
          <button type="button" className="secondary" data-testid="save-draft" disabled={pending} onClick={() => void run(save)}>
            Save draft
          </button>
          <button type="button" data-testid="publish-flow" disabled={pending} onClick={() => void run(publish)}>
            Publish
          </button>
        </div>
      ) : (
        <p className="muted">Only owners and admins can change and publish flows.</p>
      )}
    </section>
  );
}
