"use client";
import { useEffect, useRef, useState } from "react";
import { plainIssueMessage } from "@/server/errors/zod-messages";
import { integrationSampleSchema, type IntegrationSample } from "@/server/flow-store/canvas-meta";
import type { FlowIssue } from "@/server/flows/validate-flow";
import { FieldScopeProvider, useFieldScope } from "./field-scope";
import { CheckboxField, NumberField } from "./panel-fields";
import { JsonField, type JsonValue } from "./json-field";
import { titleAt } from "./schema-fields";
import styles from "./state-forms.module.css";

type Draft = { status: number | undefined; body: JsonValue };

const STARTER: IntegrationSample = { status: 200, body: { ok: true } };

/** The sample is checked by the canvas column's own schema; only a valid one reaches the draft. */
function check(draft: Draft): { sample: IntegrationSample } | { issues: FlowIssue[] } {
  const parsed = integrationSampleSchema.safeParse(draft, { error: (raw) => plainIssueMessage(raw) });
  if (parsed.success) return { sample: parsed.data };
  return {
    issues: parsed.error.issues.map((issue) => ({ code: "invalid_field", severity: "error", field: `sample.${issue.path.join(".")}`, message: issue.message })),
  };
}

/** What Try it answers for this integration instead of calling the endpoint. */
export function SampleEditor({ sample, onChange }: { sample: IntegrationSample | undefined; onChange(sample: IntegrationSample | undefined): void }) {
  const scope = useFieldScope();
  const [draft, setDraft] = useState<Draft | null>(sample ?? null);
  const [issues, setIssues] = useState<FlowIssue[]>([]);
  const committed = useRef(JSON.stringify(sample ?? null));
  useEffect(() => {
    // Undo or another editor changed the sample: show theirs.
    const incoming = JSON.stringify(sample ?? null);
    if (incoming === committed.current) return;
    committed.current = incoming;
    setDraft(sample ?? null);
    setIssues([]);
  }, [sample]);

  function update(next: Draft | null) {
    setDraft(next);
    if (next === null) {
      setIssues([]);
      committed.current = "null";
      return onChange(undefined);
    }
    const result = check(next);
    setIssues("issues" in result ? result.issues : []);
    if ("sample" in result) {
      committed.current = JSON.stringify(result.sample);
      onChange(result.sample);
    }
  }

  const title = (path: string) => titleAt(integrationSampleSchema, path);
  return (
    <FieldScopeProvider value={{ ...scope, type: null, issuesAt: (field) => issues.filter((i) => i.field === field) }}>
      <fieldset className={styles.section} data-testid="integration-sample">
        <legend>Sample response for Try it</legend>
        <CheckboxField
          path="sample"
          dataField={null}
          label="Answer Try it with this sample instead of calling the endpoint"
          checked={draft !== null}
          onChange={(on) => update(on ? STARTER : null)}
        />
        {draft ? (
          <>
            <NumberField path="sample.status" label={title("status")} min={100} max={599} step={1} value={draft.status} onChange={(status) => update({ ...draft, status })} />
            <JsonField path="sample.body" label={title("body")} rows={6} value={draft.body} onChange={(body) => update({ ...draft, body })} />
          </>
        ) : null}
      </fieldset>
    </FieldScopeProvider>
  );
}
