"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { FlowIssueList, issuesIn, type FlowIssueView } from "@/components/flow-issue-list";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";

const ownName = (definition: unknown) =>
  typeof definition === "object" && definition !== null && typeof (definition as { name?: unknown }).name === "string" ? (definition as { name: string }).name.trim() : "";

export function ImportFlowForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [json, setJson] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<FlowIssueView[]>([]);
  const [fields, setFields] = useState<FieldErrors>({});

  // A chosen file fills the text box, so what is imported can be seen (and touched up) before it is sent.
  async function readFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setError(null);
    setJson(await file.text());
  }

  async function importFlow(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    setIssues([]);
    setFields({});
    let definition: unknown;
    try {
      definition = JSON.parse(json);
    } catch (err) {
      setError(`The flow is not valid JSON: ${(err as Error).message}`);
      return;
    }
    setPending(true);
    try {
      const flow = await api.flows.create.mutate({ name: name.trim() || ownName(definition) || "Untitled flow", definition });
      router.push(`/dashboard/flows/${flow.id}`);
    } catch (err) {
      const described = describeError(err);
      setError(described.message);
      setIssues(issuesIn(err));
      setFields(described.fields);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="import-flow">
      <h2 id="import-flow">Import a flow</h2>
      <p className="muted">
        Choose a flow file or paste a flow written in the <Link href="/docs/flows">flow format</Link>; it is saved as a draft and opened in the editor.
      </p>
      <form onSubmit={importFlow} noValidate>
        <div className="field">
          <label htmlFor="flow-name">Flow name</label>
          <input
            id="flow-name"
            data-testid="flow-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Uses the flow's own name when empty"
            aria-invalid={Boolean(fields.name?.length)}
          />
          {fields.name?.length ? <span className="error" role="alert">{fields.name[0]}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="flow-file">Flow file</label>
          <input id="flow-file" type="file" accept="application/json,.json" data-testid="import-flow-file" onChange={(e) => void readFile(e)} />
        </div>
        <div className="field">
          <label htmlFor="flow-json">Flow definition (JSON)</label>
          <textarea id="flow-json" data-testid="flow-json" rows={10} value={json} onChange={(e) => setJson(e.target.value)} />
        </div>
        {error ? <p className="alert" role="alert" data-testid="import-error">{error}</p> : null}
        <FlowIssueList issues={issues} testId="import-issues" />
        <button type="submit" data-testid="import-flow" disabled={!json.trim() || pending}>
          Import
        </button>
      </form>
    </section>
  );
}
