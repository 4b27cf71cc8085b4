import type { Metadata } from "next";
import { serverApi } from "@/lib/server-api";
import { CreateKeyForm } from "./create-key-form";
import { RevokeKeyButton } from "./revoke-key-button";

export const metadata: Metadata = { title: "API keys" };

// Rendered on the server, so dates are written in one fixed form rather than the server's locale.
const day = (d: Date) => d.toISOString().slice(0, 10);
const moment = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function ApiKeysPage() {
  const api = await serverApi();
  const [tenant, keys] = await Promise.all([api.tenant.current(), api.apiKeys.list()]);
  const canManage = tenant.role !== "member";
  return (
    <div>
      <h1>API keys</h1>
      <p className="muted">
        For the REST API (<code>Authorization: Bearer …</code>). A key is shown once, when it is created. A revoked key stops working within 10 seconds.
        {canManage ? null : " Owners and admins create and revoke keys."}
      </p>
      {canManage ? <CreateKeyForm /> : null}
      <section className="card">
        {keys.length === 0 ? (
          <p className="muted">No keys yet.</p>
        ) : (
          <table>
            <thead>
              <tr><th>Name</th><th>Key</th><th>Created</th><th>Last used</th><th>Status</th></tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid="api-key-row">
                  <td>{k.name}</td>
                  <td><code>{k.prefix}_…</code></td>
                  <td>{day(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? moment(k.lastUsedAt) : "never"}</td>
                  <td>{k.revokedAt ? <span className="badge">revoked</span> : canManage ? <RevokeKeyButton id={k.id} name={k.name} /> : "active"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
