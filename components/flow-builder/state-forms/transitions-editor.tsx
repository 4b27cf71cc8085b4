"use client";
import { conditionChoices, conditionValueKind, defaultCondition } from "@/lib/flow-builder/conditions";
import { priorityOf, type DraftTransition } from "@/lib/flow-builder/document";
import type { StateType, TransitionCondition } from "@/server/flows/flow-schema";
import type { FormProps } from "./form-props";
import { FieldIssues } from "./field-scope";
import { FieldGroup, SelectField, SmallButton, TextField } from "./panel-fields";
import { slotsOf } from "./slot-edits";
import { addTransition, changeTransition, deleteTransition, moveInPriorityOrder, priorityOrder } from "./transition-edits";
import styles from "./state-forms.module.css";

const CONDITION_HINTS: Partial<Record<TransitionCondition, string>> = {
  condition: "Taken when this state's conditions hold.",
  fallback: "Taken when nothing above matched.",
  any_input: "Taken for whatever the visitor says.",
};

export function TransitionsEditor({ name, state, names, edit }: FormProps<StateType>) {
  const transitions = state.transitions ?? [];
  const listened = state.type === "intent" ? state.config.intent_patterns : names.intents;
  const slots = state.type === "slot_filling" ? [...new Set([...slotsOf(state).map((s) => s.name), ...names.slots])] : names.slots;
  const change = (index: number, patch: Partial<DraftTransition>, field?: string) => edit(changeTransition(name, state, index, patch), field);
  const order = priorityOrder(state);

  function valueField(t: DraftTransition, at: string, index: number) {
    if (t.condition === "intent_match") {
      return (
        <SelectField
          path={`${at}.condition_value`}
          label="Intent"
          value={t.condition_value ?? ""}
          choices={listened.map((intent) => ({ value: intent, label: intent }))}
          onChange={(intent) => change(index, { condition_value: intent })}
        />
      );
    }
    if (t.condition === "slot_filled") {
      return (
        <TextField
          path={`${at}.condition_value`}
          label="Slot"
          hint="Empty: when every required slot is filled."
          suggestions={slots}
          value={t.condition_value ?? ""}
          onChange={(slot) => change(index, { condition_value: slot === "" ? undefined : slot }, `${at}.condition_value`)}
        />
      );
    }
    const hint = CONDITION_HINTS[t.condition];
    return hint ? <p className={`muted ${styles.hint}`}>{hint}</p> : null;
  }

  return (
    <FieldGroup path="transitions">
      <ol className={styles.rows} data-testid="transitions">
        {order.map((index, place) => {
          const t = transitions[index]!;
          const at = `transitions.${index}`;
          return (
            <li key={index} className={styles.rowItem} data-field={at} tabIndex={-1} data-testid="transition-row">
              <span className="muted">
                {place + 1}. Priority {priorityOf(t)}
              </span>
              <div className={styles.inline}>
                <SelectField
                  path={`${at}.condition`}
                  value={t.condition}
                  choices={conditionChoices(state.type, t.condition)}
                  onChange={(value) => {
                    const condition = value as TransitionCondition;
                    change(index, { condition, condition_value: conditionValueKind(condition) ? t.condition_value : undefined });
                  }}
                />
                {valueField(t, at, index)}
              </div>
              <TextField
                path={`${at}.target_state`}
                suggestions={names.states}
                value={t.target_state}
                onChange={(target) => change(index, { target_state: target }, `${at}.target_state`)}
              />
              <FieldIssues path={at} />
              <div className="row">
                <SmallButton label="Move up" disabled={place === 0} onClick={() => edit(moveInPriorityOrder(name, state, index, -1))} />
                <SmallButton label="Move down" disabled={place === order.length - 1} onClick={() => edit(moveInPriorityOrder(name, state, index, 1))} />
                <SmallButton label="Delete transition" danger onClick={() => edit(deleteTransition(name, state, index))} />
              </div>
            </li>
          );
        })}
      </ol>
      <SmallButton
        label="Add transition"
        testId="add-transition"
        onClick={() => {
          const condition = defaultCondition(state);
          const value = conditionValueKind(condition) === "intent" ? listened[0] : undefined;
          const target = names.states.find((s) => s !== name) ?? "";
          edit(addTransition(name, state, { condition, ...(value !== undefined && { condition_value: value }) }, target));
        }}
      />
    </FieldGroup>
  );
}
