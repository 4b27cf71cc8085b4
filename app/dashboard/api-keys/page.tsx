"use client";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

export default function ApiKeysPage() {
  const keys = useQuery(() => api.apiKeys.list.query());
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setError(null);
    try {
      const key = await api.apiKeys.create.mutate({ name: name || "Default" });
      setCreated(key.key);
      setName("");
      keys.reload();
    } catch (e) {
      setError(describeError(e).message);
    }
  }

  return (
    <div>
      <h1>API keys</h1>
      <p className="muted">For the REST API (<code>Authorization: Bearer …</code>). A key is shown once, when it is created. A revoked key stops working within 10 seconds.</p>
      {created ? (
        <div className="notice" role="status">
          Copy your new key now; it will not be shown again:
          <pre className="code" data-testid="new-api-key">{created}</pre>
        </div>
      ) : null}
      <section className="card">
        <table>
          <thead><tr><th>Name</th><th>Key</th><th>Created</th><th>Last used</th><th /></tr></thead>
          <tbody>
            {keys.data?.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td><code>{k.prefix}_…</code></td>
                <td>{new Date(k.createdAt).toLocaleDateString()}</td>
                <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="badge">revoked</span>
                  ) : (
                    <button className="danger" onClick={async () => { await api.apiKeys.revoke.mutate({ id: k.id }); keys.reload(); }}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <div className="row">
          <input aria-label="Key name" placeholder="Key name" value={name} onChange={(e) => setName(e.target.value)} style={{ padding: ".5rem" }} />
          <button onClick={create}>Create key</button>
        </div>
        {error ? <p className="alert">{error}</p> : null}
      </section>
    </div>
  );
}
