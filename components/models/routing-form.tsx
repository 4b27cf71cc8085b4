"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { RoutingPolicy } from "@/server/models/routing-policy";
import { modelLabel } from "./spend-view";

type Props = {
  policy: RoutingPolicy;
  /** "provider:model" entries the tenant's connections serve, in the order they are listed. */
  connected: string[];
  canManage: boolean;
};

const entryLabel = (entry: string) => {
  const [provider, ...model] = entry.split(":");
  return modelLabel(provider!, model.join(":"));
};
/** A blank field is "no limit"; anything else goes to the server as typed, which words its own refusal. */
const centsValue = (text: string) => (text.trim() === "" ? null : Number(text));
const centsText = (v: number | null) => (v === null ? "" : String(v));

/** The order models are tried in, a cap per request and a monthly budget. */
export function RoutingForm({ policy, connected, canManage }: Props) {
  const router = useRouter();
  const [chain, setChain] = useState(policy.chain);
  const [maxCost, setMaxCost] = useState(centsText(policy.max_cost_cents));
  const [budget, setBudget] = useState(centsText(policy.monthly_budget_cents));
  const [adding, setAdding] = useState("");
  const [saved, setSaved] = useState(false);
  // The server's policy changes after a save (ours, refreshed) or another window's: the fields follow it and a
  // "saved" notice stays. Remounting on a new policy instead would take the notice away as soon as it appeared.
  const [shownPolicy, setShownPolicy] = useState(JSON.stringify(policy));
  if (shownPolicy !== JSON.stringify(policy)) {
    setShownPolicy(JSON.stringify(policy));
    setChain(policy.chain);
    setMaxCost(centsText(policy.max_cost_cents));
    setBudget(centsText(policy.monthly_budget_cents));
  }
  const addable = connected.filter((m) => !chain.includes(m));

  function edit(next: string[]) {
    setChain(next);
    setSaved(false);
  }
  const move = (i: number, by: -1 | 1) => {
    const next = [...chain];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    edit(next);
  };

  const { fields, error, pending: busy, onSubmit: save } = useFormSubmit(async () => {
    setSaved(false);
    await api.models.saveRouting.mutate({ chain, max_cost_cents: centsValue(maxCost), monthly_budget_cents: centsValue(budget) });
    setSaved(true);
    router.refresh();
  });

  const limits = (
    <p className="muted" data-testid="routing-limits">
      Max cost per request: {policy.max_cost_cents === null ? "no limit" : `${policy.max_cost_cents}¢`} · Monthly budget: {policy.monthly_budget_cents === null ? "no budget" : `${policy.monthly_budget_cents}¢`}
    </p>
  );

  return (
    <section className="card" aria-labelledby="routing-title" data-testid="routing">
      <h2 id="routing-title">Routing</h2>
      <p className="muted">
        Bots try these models in order and move to the next when one is rate limited, down or too slow. With no chain, every connected model is tried, the default
        first. A model whose worst-case cost is over the cap, or over what is left of the budget, is skipped.
      </p>
      {chain.length === 0 ? <p data-testid="routing-chain-empty">No chain set: every connected model, the default first.</p> : null}
      <ol data-testid="routing-chain">
        {chain.map((entry, i) => (
          <li key={entry} data-testid="routing-entry" data-entry={entry}>
            <span className="row">
              {entryLabel(entry)}
              {connected.includes(entry) ? null : <span className="badge">not connected</span>}
              {canManage ? (
                <>
                  <button type="button" className="secondary" aria-label={`Move ${entryLabel(entry)} up`} data-testid="routing-up" disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                  <button type="button" className="secondary" aria-label={`Move ${entryLabel(entry)} down`} data-testid="routing-down" disabled={i === chain.length - 1} onClick={() => move(i, 1)}>↓</button>
                  <button type="button" className="secondary" data-testid="routing-remove" onClick={() => edit(chain.filter((c) => c !== entry))}>Remove</button>
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ol>
      {fields.chain?.length ? <p className="error" role="alert">{fields.chain[0]}</p> : null}
      {canManage ? (
        <form onSubmit={save} noValidate data-testid="routing-form">
          <div className="row" style={{ marginBottom: ".8rem" }}>
            <label htmlFor="routing-add">Add a model</label>
            <select id="routing-add" data-testid="routing-add-select" value={adding} onChange={(e) => setAdding(e.target.value)} disabled={addable.length === 0}>
              <option value="">{addable.length ? "Choose a connected model" : "Every connected model is in the chain"}</option>
              {addable.map((m) => <option key={m} value={m}>{entryLabel(m)}</option>)}
            </select>
            <button type="button" className="secondary" data-testid="routing-add" disabled={!adding} onClick={() => { edit([...chain, adding]); setAdding(""); }}>
              Add
            </button>
          </div>
          <Field label="Max cost per request (cents, blank for no limit)" name="max_cost_cents" testId="routing-max-cost" inputMode="decimal" value={maxCost} onChange={(e) => { setMaxCost(e.target.value); setSaved(false); }} errors={fields.max_cost_cents} />
          <Field label="Monthly budget (cents, blank for no budget)" name="monthly_budget_cents" testId="routing-budget" inputMode="decimal" value={budget} onChange={(e) => { setBudget(e.target.value); setSaved(false); }} errors={fields.monthly_budget_cents} />
          {error ? <p className="alert" role="alert">{error}</p> : null}
          {saved ? <p className="notice" role="status" data-testid="routing-saved">Routing saved.</p> : null}
          <button type="submit" data-testid="save-routing" disabled={busy}>{busy ? "Saving…" : "Save routing"}</button>
        </form>
      ) : (
        <>
          {limits}
          <p className="muted">Owners and admins change the routing.</p>
        </>
      )}
    </section>
  );
}
