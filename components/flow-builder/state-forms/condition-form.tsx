"use client";
import { conditionOperatorSchema, type Condition, type ConditionOperator } from "@/server/flows/flow-schema";
import { withConfig, type FormProps } from "./form-props";
import { FieldGroup, SelectField, SmallButton, TextField } from "./panel-fields";
import { fieldOptions, stateOptionSchema } from "./schema-fields";
import { operandToText, textToOperand } from "./values";
import styles from "./state-forms.module.css";

/** How each operator reads; the Record type makes a new operator in the schema fail to compile until it has words. */
const OPERATOR_WORDS: Record<ConditionOperator, string> = {
  eq: "equals",
  neq: "does not equal",
  gt: "is greater than",
  lt: "is less than",
  gte: "is at least",
  lte: "is at most",
  contains: "contains",
  exists: "is filled in",
  in: "is one of",
};

const LOGIC_WORDS: Record<string, string> = { and: "All conditions hold (and)", or: "Any condition holds (or)" };

const OPERAND_HINT = "A {slot} reference, or a value: text, a number, true/false, or a list like [\"a\", \"b\"].";

export function ConditionForm({ state, edit }: FormProps<"condition">) {
  const conditions = state.config.conditions;
  const set = (next: Condition[], field?: string) => edit(withConfig(state, { conditions: next }), field);
  const update = (i: number, condition: Condition, field?: string) => set(conditions.map((c, j) => (j === i ? condition : c)), field);
  return (
    <>
      <FieldGroup path="config.conditions">
        <ul className={styles.rows}>
          {conditions.map((condition, i) => {
            const at = `config.conditions.${i}`;
            return (
              <li key={i} className={styles.rowItem}>
                <TextField path={`${at}.left`} value={operandToText(condition.left)} hint={i === 0 ? OPERAND_HINT : undefined} onChange={(text) => update(i, { ...condition, left: textToOperand(text) }, `${at}.left`)} />
                <SelectField
                  path={`${at}.operator`}
                  value={condition.operator}
                  choices={conditionOperatorSchema.options.map((op) => ({ value: op, label: OPERATOR_WORDS[op] }))}
                  onChange={(op) => {
                    const operator = op as ConditionOperator;
                    // `exists` takes no right operand; any other operator needs one, so it starts empty rather than missing.
                    const { right, ...rest } = condition;
                    update(i, operator === "exists" ? { ...rest, operator } : { ...rest, operator, right: right ?? "" });
                  }}
                />
                {condition.operator === "exists" ? null : (
                  <TextField path={`${at}.right`} value={operandToText(condition.right)} onChange={(text) => update(i, { ...condition, right: textToOperand(text) }, `${at}.right`)} />
                )}
                <SmallButton label="Remove condition" onClick={() => set(conditions.filter((_, j) => j !== i))} />
              </li>
            );
          })}
        </ul>
        <SmallButton label="Add condition" onClick={() => set([...conditions, { operator: "eq", left: "", right: "" }])} />
      </FieldGroup>
      <SelectField
        path="config.logic"
        value={state.config.logic ?? "and"}
        choices={fieldOptions(stateOptionSchema("condition"), "config.logic").map((value) => ({ value, label: LOGIC_WORDS[value] ?? value }))}
        onChange={(logic) => edit(withConfig(state, { logic: logic as "and" | "or" }), "config.logic")}
      />
    </>
  );
}
