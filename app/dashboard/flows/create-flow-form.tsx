"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { TemplateId } from "@/server/flow-store/templates";

type Template = { id: TemplateId; name: string; description: string };

const BLANK = "Blank: one greeting to build on.";

/** A new flow, blank or from a template, opened in the editor straight away. */
export function CreateFlowForm({ templates }: { templates: Template[] }) {
  const router = useRouter();
  const [choice, setChoice] = useState("");
  const chosen = templates.find((t) => t.id === choice);
  const { fields, error, pending, onSubmit } = useFormSubmit(
    async (form) => {
      const template = chosen?.id;
      const flow = await api.flows.create.mutate({ name: String(form.get("name") ?? ""), ...(template && { template }) });
      router.push(`/dashboard/flows/${flow.id}`);
    },
    { keepPendingOnSuccess: true },
  );

  return (
    <section className="card" aria-labelledby="new-flow">
      <h2 id="new-flow">New flow</h2>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Flow name" name="name" testId="new-flow-name" autoComplete="off" errors={fields.name} />
        <div className="field">
          <label htmlFor="new-flow-template">Start from</label>
          <select id="new-flow-template" name="template" data-testid="new-flow-template" value={choice} onChange={(e) => setChoice(e.target.value)} aria-describedby="new-flow-template-description">
            <option value="">Blank</option>
            {templates.map((t) => (
              <option key={t.id} value={t.id}>{t.name}</option>
            ))}
          </select>
          <span className="muted" id="new-flow-template-description" data-testid="new-flow-template-description">
            {chosen ? chosen.description : BLANK}
          </span>
          {fields.template?.length ? <span className="error" role="alert">{fields.template[0]}</span> : null}
        </div>
        {error && !fields.name?.length ? <p className="alert" role="alert" data-testid="create-flow-error">{error}</p> : null}
        <button type="submit" data-testid="create-flow" disabled={pending}>
          {pending ? "Creating…" : "Create and open"}
        </button>
      </form>
    </section>
  );
}
