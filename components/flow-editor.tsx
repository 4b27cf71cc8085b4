"use client";
import { useEffect, useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

type Issue = { code: string; state?: string; field?: string; message: string };

export function FlowEditor({ flowId, onChange }: { flowId: string; onChange: () => void }) {
  const flow = useQuery(() => api.flows.get.query({ flowId }));
  const [text, setText] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  useEffect(() => {
    if (flow.data) {
      setText(JSON.stringify(flow.data.draft, null, 2));
      setIssues(flow.data.issues as Issue[]);
    }
  }, [flow.data]);

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
      const updated = await api.flows.saveDraft.mutate({ flowId, definition });
      setIssues(updated.issues as Issue[]);
      setStatus({ kind: "ok", text: updated.valid ? "Draft saved." : "Draft saved, but it has errors to fix before publishing." });
      onChange();
      return updated.valid;
    } catch (e) {
      setStatus({ kind: "error", text: describeError(e).message });
      return false;
    }
  }

  async function publish() {
    if (!(await save())) return;
    try {
      const version = await api.flows.publish.mutate({ flowId });
      setStatus({ kind: "ok", text: `Published as version ${version.version}.` });
      flow.reload();
      onChange();
    } catch (e) {
      const d = describeError(e);
      setStatus({ kind: "error", text: d.message });
    }
  }

  if (!flow.data) return <section className="card">{flow.error ? <p className="alert">{flow.error}</p> : "Loading…"}</section>;
  return (
    <section className="card" data-testid="flow-editor">
      <h2>{flow.data.name}</h2>
      <p className="muted">
        {flow.data.versions.length ? `Versions: ${flow.data.versions.map((v) => `v${v.version}`).join(", ")}` : "Never published"}
      </p>
      <div className="field">
        <label htmlFor="flow-draft">Definition</label>
        <textarea id="flow-draft" rows={18} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {issues.length ? (
        <ul className="error" data-testid="flow-issues">
          {issues.map((i, n) => (
            <li key={n}>
              {i.state ? <strong>{i.state}{i.field ? `.${i.field}` : ""}: </strong> : null}
              {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {status ? <p className={status.kind === "ok" ? "notice" : "alert"} role="status">{status.text}</p> : null}
      <div className="row">
        <button className="secondary" onClick={() => void save()}>Save draft</button>
        <button onClick={() => void publish()} data-testid="publish-flow">Publish</button>
      </div>
    </section>
  );
}
