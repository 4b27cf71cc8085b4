"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { ModelPricesView } from "@/server/models/model-prices";

type Props = {
  view: ModelPricesView;
  /** Owners and admins; members see the prices and the warnings, no actions. */
  canManage: boolean;
};

const modelName = (ref: string) => ref.slice(ref.indexOf(":") + 1);
// A blank field goes as NaN (superjson keeps it), so the server words it "... must be a number" rather than reading 0.
const centsValue = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));

/** The repo's price table, the tenant's own prices, and the connected models no price covers (the router never calls those). */
export function PricesSection({ view, canManage }: Props) {
  const router = useRouter();
  const [model, setModel] = useState("");
  const [input, setInput] = useState("");
  const [output, setOutput] = useState("");
  const [saved, setSaved] = useState<string | null>(null);

  function edit(ref: string, price?: { input_cents_per_mtok: number; output_cents_per_mtok: number }) {
    setModel(ref);
    setInput(price ? String(price.input_cents_per_mtok) : "");
    setOutput(price ? String(price.output_cents_per_mtok) : "");
    setSaved(null);
  }

  const { fields, error, pending: busy, onSubmit: save } = useFormSubmit(async () => {
    setSaved(null);
    const price = await api.models.setPrice.mutate({ model: model.trim(), input_cents_per_mtok: centsValue(input), output_cents_per_mtok: centsValue(output) });
    edit("");
    setSaved(`Price of ${price.model} saved: bots use it from the next message.`);
    router.refresh();
  });

  return (
    <section className="card" aria-labelledby="prices-title" data-testid="model-prices">
      <h2 id="prices-title">Prices</h2>
      <p className="muted" data-testid="price-table">
        Costs and budgets are counted from the built-in price table (version {view.table.version}, prices taken on {view.table.taken_on}) for OpenAI and Anthropic
        models, and from the prices you set here, which win over it. A model with no price is never called, so its cost can never exceed your budget.
      </p>
      {view.unpriced.map((ref) => (
        <p key={ref} className="alert" role="alert" data-testid="unpriced-model" data-model={ref}>
          {modelName(ref)} has no price: the bot will not use it until you set one.{" "}
          {canManage ? (
            <button type="button" className="secondary" data-testid="price-unpriced" onClick={() => edit(ref)}>
              Set its price
            </button>
          ) : null}
        </p>
      ))}
      <h3>Your prices</h3>
      {view.prices.length === 0 ? (
        <p className="muted" data-testid="no-prices">You have set no prices: every cost comes from the built-in table.</p>
      ) : (
        <div className="scroll-x">
          <table>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Input (cents per million tokens)</th>
                <th scope="col">Output (cents per million tokens)</th>
                {canManage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {view.prices.map((p) => (
                <tr key={p.model} data-testid="price-row" data-model={p.model}>
                  <td><code>{p.model}</code></td>
                  <td>{p.input_cents_per_mtok}¢</td>
                  <td>{p.output_cents_per_mtok}¢</td>
                  {canManage ? (
                    <td>
                      <span className="row">
                        <button type="button" className="secondary" data-testid="edit-price" onClick={() => edit(p.model, p)}>
                          Change
                        </button>
                        <ConfirmButton
                          label="Delete"
                          question={`Delete your price of ${p.model}? Bots then use the built-in table's price, or stop using the model if it has none.`}
                          confirmLabel="Delete"
                          testId="delete-price"
                          onConfirm={async () => {
                            await api.models.deletePrice.mutate({ model: p.model });
                            router.refresh();
                          }}
                        />
                      </span>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage ? (
        <form onSubmit={save} noValidate data-testid="price-form">
          <h3>Set a price</h3>
          <Field label="Model (provider:model)" name="model" testId="price-model" placeholder="openai_compatible:llama3" value={model} onChange={(e) => { setModel(e.target.value); setSaved(null); }} errors={fields.model} />
          <Field label="Input (cents per million tokens)" name="input_cents_per_mtok" testId="price-input" inputMode="decimal" value={input} onChange={(e) => { setInput(e.target.value); setSaved(null); }} errors={fields.input_cents_per_mtok} />
          <Field label="Output (cents per million tokens)" name="output_cents_per_mtok" testId="price-output" inputMode="decimal" value={output} onChange={(e) => { setOutput(e.target.value); setSaved(null); }} errors={fields.output_cents_per_mtok} />
          {error ? <p className="alert" role="alert">{error}</p> : null}
          {saved ? <p className="notice" role="status" data-testid="price-saved">{saved}</p> : null}
          <button type="submit" data-testid="save-price" disabled={busy}>{busy ? "Saving…" : "Save price"}</button>
        </form>
      ) : (
        <p className="muted">Owners and admins set prices.</p>
      )}
    </section>
  );
}
