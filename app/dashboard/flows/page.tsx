"use client";
import { useState } from "react";
import { FlowEditor } from "@/components/flow-editor";
import { api, describeError } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

export default function FlowsPage() {
  const flows = useQuery(() => api.flows.list.query());
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [json, setJson] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function importFlow() {
    setError(null);
    let definition: unknown;
    try {
      definition = JSON.parse(json);
    } catch (e) {
      setError(`The flow is not valid JSON: ${(e as Error).message}`);
      return;
    }
    try {
      const flow = await api.flows.create.mutate({ name: name || String((definition as { name?: unknown }).name ?? "Untitled flow"), definition });
      setJson("");
      setName("");
      flows.reload();
      setSelected(flow.id);
    } catch (e) {
      setError(describeError(e).message);
    }
  }

  return (
    <div>
      <h1>Flows</h1>
      <p className="muted">The conversation your bot follows. The most recently published flow answers on every channel; running conversations keep the version they started with.</p>
      <section className="card">
        <table>
          <thead>
            <tr><th>Name</th><th>Published</th><th>Updated</th><th /></tr>
          </thead>
          <tbody>
            {flows.data?.map((f) => (
              <tr key={f.id} data-testid="flow-row">
                <td>{f.name}</td>
                <td>{f.publishedVersion ? <span className="badge">v{f.publishedVersion}</span> : <span className="muted">draft</span>}</td>
                <td>{new Date(f.updatedAt).toLocaleString()}</td>
                <td><button className="secondary" onClick={() => setSelected(f.id)}>Open</button></td>
              </tr>
            ))}
            {flows.data?.length === 0 ? <tr><td colSpan={4} className="muted">No flows yet. Import one below.</td></tr> : null}
          </tbody>
        </table>
      </section>
      {selected ? <FlowEditor key={selected} flowId={selected} onChange={flows.reload} /> : null}
      <section className="card">
        <h2>Import a flow</h2>
        <div className="field">
          <label htmlFor="flow-name">Name</label>
          <input id="flow-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Uses the flow's own name when empty" />
        </div>
        <div className="field">
          <label htmlFor="flow-json">Flow definition (JSON)</label>
          <textarea id="flow-json" data-testid="flow-json" rows={10} value={json} onChange={(e) => setJson(e.target.value)} />
        </div>
        {error ? <p className="alert" role="alert">{error}</p> : null}
        <button onClick={importFlow} disabled={!json.trim()}>Import</button>
      </section>
    </div>
  );
}
