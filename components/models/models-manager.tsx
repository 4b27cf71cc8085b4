"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { api, describeError } from "@/lib/trpc-client";
import { PROVIDER_LABELS } from "@/server/models/provider-labels";
import type { ProviderConfigSummary } from "@/server/models/provider-configs";
import { connectionStatus, keyInvalidText, STATUS_COLORS } from "./connection-status";
import { ModelForm } from "./model-form";

type Props = {
  models: ProviderConfigSummary[];
  /** Owners and admins; members see the models and their status, no actions. */
  canManage: boolean;
  /** When the server rendered the list, so "tested 3 minutes ago" reads the same before and after hydration. */
  now: Date;
};

/** The saved models with their connection status, and the form that connects or edits one. */
export function ModelsManager({ models, canManage, now }: Props) {
  const router = useRouter();
  const [editingId, setEditingId] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [lastTest, setLastTest] = useState<{ id: string; ok: boolean; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editing = models.find((m) => m.id === editingId);

  async function act(id: string, run: () => Promise<void>) {
    setBusyId(id);
    setError(null);
    try {
      await run();
      router.refresh();
    } catch (err) {
      setError(describeError(err).message);
    } finally {
      setBusyId(null);
    }
  }
  const retest = (id: string) => act(id, async () => setLastTest({ id, ...(await api.models.test.mutate({ id })) }));
  const makeDefault = (id: string) => act(id, () => api.models.setDefault.mutate({ id }));

  return (
    <>
      <section className="card" aria-labelledby="saved-models">
        <h2 id="saved-models">Connected models</h2>
        {error ? <p className="alert" role="alert">{error}</p> : null}
        {models.length === 0 ? (
          <p className="muted" data-testid="no-models">No model connected yet.</p>
        ) : (
          <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {models.map((m) => {
              const status = connectionStatus(m, now);
              return (
                <li key={m.id} data-testid="model-row" data-model-id={m.id} style={{ padding: ".7rem 0", borderBottom: "1px solid var(--line)" }}>
                  <div className="row">
                    <strong>{m.name}</strong>
                    {m.isDefault ? <span className="badge" data-testid="default-badge">default</span> : null}
                  </div>
                  <div className="muted" style={{ overflowWrap: "anywhere" }}>
                    {PROVIDER_LABELS[m.provider]} · {[m.model, ...m.models].join(", ")}
                    {m.baseUrl ? ` · ${m.baseUrl}` : ""} · key <code>{m.apiKeyHint}</code>
                  </div>
                  <div data-testid="model-status" data-tone={status.tone} style={{ color: STATUS_COLORS[status.tone] }}>
                    {status.text}
                  </div>
                  {m.keyInvalidAt ? (
                    <div role="alert" data-testid="key-invalid" style={{ color: "var(--err)" }}>
                      <span className="badge" data-testid="key-invalid-badge">Invalid key</span> {keyInvalidText(m, now)}
                    </div>
                  ) : null}
                  {lastTest?.id === m.id ? (
                    <div role="status" data-testid="model-test-result" className="muted">
                      {lastTest.message}
                    </div>
                  ) : null}
                  {canManage ? (
                    <div className="row" style={{ marginTop: ".4rem" }}>
                      <button type="button" className="secondary" data-testid="test-model" disabled={busyId !== null} onClick={() => void retest(m.id)}>
                        {busyId === m.id ? "Testing…" : "Test connection"}
                      </button>
                      <button type="button" className="secondary" data-testid="edit-model" onClick={() => setEditingId(m.id)}>
                        Edit
                      </button>
                      {m.isDefault ? null : (
                        <button type="button" className="secondary" data-testid="make-default" disabled={busyId !== null} onClick={() => void makeDefault(m.id)}>
                          Make default
                        </button>
                      )}
                      <ConfirmButton
                        label="Remove"
                        question={`Remove ${m.name}? Flows stop using it at once.`}
                        confirmLabel="Remove"
                        testId="remove-model"
                        confirmTestId="confirm-remove-model"
                        onConfirm={async () => {
                          await api.models.remove.mutate({ id: m.id });
                          if (editingId === m.id) setEditingId(null);
                          router.refresh();
                        }}
                      />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        {canManage ? null : <p className="muted">Owners and admins connect, test and remove models.</p>}
      </section>
      {canManage ? (
        <section className="card" aria-labelledby="model-form-title">
          <h2 id="model-form-title">{editing ? `Edit ${editing.name}` : "Connect a model"}</h2>
          {/* Keyed, so switching between models (or back to a new one) starts from that model's values. */}
          <ModelForm
            key={editing?.id ?? "new"}
            editing={editing}
            onSaved={() => {
              setEditingId(null);
              router.refresh();
            }}
            onCancel={editing ? () => setEditingId(null) : undefined}
          />
        </section>
      ) : null}
    </>
  );
}
