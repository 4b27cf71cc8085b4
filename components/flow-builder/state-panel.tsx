"use client";
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import type { DraftState } from "@/lib/flow-builder/document";
import { humanizeKey } from "@/server/errors/zod-messages";
import type { IntegrationSample } from "@/server/flow-store/canvas-meta";
import { flowDefinitionSchema } from "@/server/flows/flow-schema";
import type { FlowIssue } from "@/server/flows/validate-flow";
import type { FlowNames } from "./state-forms/form-props";
import { closestField, inlineMessage, mergeIssues, placeIssues, schemaIssues } from "./state-forms/issue-placement";
import { FieldScopeProvider, type FieldScope } from "./state-forms/field-scope";
import { NameField } from "./state-forms/name-fields";
import { SampleEditor } from "./state-forms/sample-editor";
import { titleAt } from "./state-forms/schema-fields";
import { StateForm } from "./state-forms/state-form";
import { TransitionsEditor } from "./state-forms/transitions-editor";
import styles from "./state-forms/state-forms.module.css";

export type StatePanelProps = {
  name: string;
  state: DraftState;
  stateNames: string[];
  intentNames: string[];
  listNames: string[];
  /** Slots the flow collects, offered as {references} and variant names. */
  slotNames?: string[];
  isInitial: boolean;
  /** This state's issues, as the validator reports them. */
  issues: FlowIssue[];
  focusField: { field: string; nonce: number } | null;
  readOnly: boolean;
  sample: IntegrationSample | undefined;
  onChange(state: DraftState, coalesceKey?: string): void;
  /** Answers the reason a name was refused, or null once renamed. */
  onRename(to: string): string | null;
  onSetInitial(): void;
  onDelete(): void;
  onSampleChange(sample: IntegrationSample | undefined): void;
};

const fieldElements = (root: HTMLElement | null): HTMLElement[] => (root ? [...root.querySelectorAll<HTMLElement>("[data-field]")] : []);

const FOCUSABLE = "input, select, textarea, button";

/** Focuses the field a clicked issue names, or the nearest enclosing one that is on screen. */
function focusField(root: HTMLElement | null, field: string) {
  const elements = fieldElements(root);
  const target = closestField(field, elements.map((el) => el.dataset.field!));
  const element = elements.find((el) => el.dataset.field === target);
  if (!element) return;
  const focusable = element.matches(FOCUSABLE) || element.hasAttribute("tabindex") ? element : element.querySelector<HTMLElement>(FOCUSABLE);
  (focusable ?? element).focus();
  element.scrollIntoView({ block: "nearest" });
}

/** The side panel of the selected state: its name and role in the flow, the form for its type, and its transitions. */
export function StatePanel(props: StatePanelProps) {
  const { name, state, issues, readOnly, onChange } = props;
  const rootRef = useRef<HTMLElement>(null);
  const initialId = useId();
  const [fields, setFields] = useState<string[]>([]);

  const local = useMemo(() => schemaIssues(name, state), [name, state]);
  const placed = useMemo(() => placeIssues(mergeIssues(issues, local), fields), [issues, local, fields]);

  // Issues go under the fields actually on screen, which depend on the state's content: read them after each render.
  useLayoutEffect(() => {
    const found = fieldElements(rootRef.current).map((el) => el.dataset.field!);
    setFields((current) => (current.join("\n") === found.join("\n") ? current : found));
  });

  const focusRequest = props.focusField;
  useEffect(() => {
    if (focusRequest) focusField(rootRef.current, focusRequest.field);
  }, [focusRequest]);

  const scope = useMemo<FieldScope>(
    () => ({ type: state.type, readOnly, issuesAt: (field) => placed.at.get(field) ?? [], messageOf: (issue) => inlineMessage(issue, name) }),
    [state.type, readOnly, placed, name],
  );
  const names = useMemo<FlowNames>(
    () => ({ states: props.stateNames, intents: props.intentNames, lists: props.listNames, slots: props.slotNames ?? [] }),
    [props.stateNames, props.intentNames, props.listNames, props.slotNames],
  );
  const edit = useCallback((next: DraftState, field?: string) => onChange(next, field === undefined ? undefined : `${name}:${field}`), [name, onChange]);
  const formProps = { name, state, names, edit };

  return (
    <FieldScopeProvider value={scope}>
      <section ref={rootRef} className={styles.panel} data-testid="state-panel" data-state={name} aria-label={`State ${name}`}>
        <header className={styles.header}>
          <span className={`badge ${styles.typeBadge}`} data-testid="state-type">
            {humanizeKey(state.type)} state
          </span>
          <NameField label="State name" value={name} testId="state-name" onCommit={props.onRename} />
          <div className={styles.check}>
            <input
              id={initialId}
              type="checkbox"
              data-testid="state-initial"
              checked={props.isInitial}
              // The flow always starts somewhere: a state stops being initial when another one becomes it.
              disabled={readOnly || props.isInitial}
              onChange={() => props.onSetInitial()}
            />
            <label htmlFor={initialId}>{titleAt(flowDefinitionSchema, "initial_state")}</label>
          </div>
          {readOnly ? null : (
            <ConfirmButton
              label="Delete state"
              question={`Delete "${name}" and the transitions leading to it?`}
              confirmLabel="Delete"
              testId="delete-state"
              onConfirm={async () => props.onDelete()}
            />
          )}
        </header>
        {placed.top.length > 0 ? (
          <ul className={styles.issues} data-testid="state-issues">
            {placed.top.map((issue, n) => (
              <li key={n} className={issue.severity === "warning" ? styles.warning : "error"}>
                {issue.severity === "warning" ? "Warning: " : null}
                {inlineMessage(issue, name)}
              </li>
            ))}
          </ul>
        ) : null}
        {/* Keyed by state, so drafts held inside the form never carry over to the next selected state. */}
        <div key={name}>
          <StateForm {...formProps} />
          <TransitionsEditor {...formProps} />
          {state.type === "integration" ? <SampleEditor sample={props.sample} onChange={props.onSampleChange} /> : null}
        </div>
      </section>
    </FieldScopeProvider>
  );
}
