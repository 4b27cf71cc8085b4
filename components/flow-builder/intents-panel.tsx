"use client";
import { useMemo } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { intentNameProblem } from "@/lib/flow-builder/edits";
import { flowDefinitionSchema, type FlowDefinitionInput } from "@/server/flows/flow-schema";
import type { IntentAccuracy } from "@/server/nlu/cross-validation";
import { EntityListsEditor } from "./entity-lists-editor";
import { accuracyText, intentWarnings } from "./intent-advice";
import { FieldScopeProvider, useFieldScope, type FieldScope } from "./state-forms/field-scope";
import { AddField, NameField } from "./state-forms/name-fields";
import { SmallButton, TextField } from "./state-forms/panel-fields";
import { titleAt } from "./state-forms/schema-fields";
import { withoutKey } from "./state-forms/values";
import styles from "./state-forms/state-forms.module.css";
import { useCrossValidation } from "./use-cross-validation";

type Intents = NonNullable<FlowDefinitionInput["intents"]>;
type Lists = Record<string, string[]>;

export type IntentsPanelProps = {
  intents: Intents;
  lists: Lists;
  readOnly: boolean;
  onIntentsChange(intents: Intents, coalesceKey?: string): void;
  onListsChange(lists: Lists, coalesceKey?: string): void;
  /** Renames an intent in the whole flow (the states listening for it, the transitions routing on it); answers the refusal to show, or null. */
  onRenameIntent(from: string, to: string): string | null;
};

function IntentRow({ name, examples, result, intents, onChange, onRename }: {
  name: string;
  examples: string[];
  result: IntentAccuracy | undefined;
  intents: Intents;
  onChange(intents: Intents, coalesceKey?: string): void;
  onRename: IntentsPanelProps["onRenameIntent"];
}) {
  const setExamples = (next: string[], coalesceKey?: string) => onChange({ ...intents, [name]: { ...intents[name], examples: next } }, coalesceKey);
  const warnings = intentWarnings(result);
  const { readOnly } = useFieldScope();
  return (
    <li className={styles.rowItem} data-testid="intent-row" data-intent={name}>
      <NameField
        label="Intent name"
        value={name}
        onCommit={(to) => onRename(name, to)}
      />
      <p className="muted" data-testid="intent-accuracy" aria-live="polite">
        {accuracyText(result)}
      </p>
      {warnings.length > 0 ? (
        <ul className={styles.issues}>
          {warnings.map((warning) => (
            <li key={warning} className={styles.warning} data-testid="intent-warning">
              {warning}
            </li>
          ))}
        </ul>
      ) : null}
      <ul className={styles.rows}>
        {examples.map((example, i) => (
          <li key={i} className={styles.inline}>
            <TextField
              path={`intents.${name}.examples.${i}`}
              label={titleAt(flowDefinitionSchema, `intents.${name}.examples.${i}`)}
              value={example}
              onChange={(text) => setExamples(examples.map((e, j) => (j === i ? text : e)), `intents:${name}.examples.${i}`)}
            />
            <SmallButton label="Remove" onClick={() => setExamples(examples.filter((_, j) => j !== i))} />
          </li>
        ))}
      </ul>
      <AddField
        label="New example"
        placeholder="How a visitor might say it"
        buttonLabel="Add example"
        inputTestId="intent-example-input"
        onAdd={(text) => {
          if (text === "") return "Type an example first";
          setExamples([...examples, text]);
          return null;
        }}
      />
      {readOnly ? null : (
        <ConfirmButton
          label="Delete intent"
          question={`Delete the intent "${name}" and its examples?`}
          confirmLabel="Delete"
          testId="delete-intent"
          onConfirm={async () => onChange(withoutKey(intents, name))}
        />
      )}
    </li>
  );
}

/** The flow's intents with their examples, how well the classifier tells them apart, and the tenant's entity lists. */
export function IntentsPanel({ intents, lists, readOnly, onIntentsChange, onListsChange, onRenameIntent }: IntentsPanelProps) {
  const measured = useCrossValidation(intents, lists);
  const scope = useMemo<FieldScope>(() => ({ type: null, readOnly, issuesAt: () => [], messageOf: (issue) => issue.message }), [readOnly]);
  const overall = measured?.overall;
  return (
    <FieldScopeProvider value={scope}>
      <section className={styles.panel} data-testid="intents-panel" aria-labelledby="intents-title">
        <h3 id="intents-title">{titleAt(flowDefinitionSchema, "intents")}</h3>
        <p className="muted" data-testid="intents-overall">
          {overall === undefined
            ? "Measuring…"
            : overall === null
              ? "Add at least two examples to an intent to measure how well it is recognised."
              : `Each example is held out and classified by a model trained on the others: ${Math.round(overall * 100)}% recognised overall.`}
        </p>
        <ul className={styles.rows}>
          {Object.entries(intents).map(([name, intent]) => (
            <IntentRow key={name} name={name} examples={intent.examples ?? []} result={measured?.perIntent[name]} intents={intents} onChange={onIntentsChange} onRename={onRenameIntent} />
          ))}
        </ul>
        <AddField
          label="New intent"
          placeholder="order_status"
          buttonLabel="Add intent"
          inputTestId="new-intent-name"
          buttonTestId="add-intent"
          onAdd={(name) => {
            const refused = intentNameProblem(name, intents);
            if (!refused) onIntentsChange({ ...intents, [name]: { examples: [] } });
            return refused;
          }}
        />
        <EntityListsEditor lists={lists} onChange={onListsChange} />
      </section>
    </FieldScopeProvider>
  );
}
