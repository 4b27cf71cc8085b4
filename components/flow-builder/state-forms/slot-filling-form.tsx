"use client";
import type { SlotValidation } from "@/server/flows/flow-schema";
import { uniqueName } from "@/lib/flow-builder/edits";
import { withConfig, type FormProps, type StateOfType } from "./form-props";
import { NameField } from "./name-fields";
import { FieldGroup, LinesField, NumberField, SelectField, SmallButton, TextField } from "./panel-fields";
import { fieldOptions, fieldTitle, stateOptionSchema } from "./schema-fields";
import { addSlot, removeSlot, renameSlot, setRequired, setSlotType, slotsOf, type SlotType } from "./slot-edits";
import styles from "./state-forms.module.css";
import { optionalText, patched } from "./values";

type SlotState = StateOfType<"slot_filling">;
type Edit = FormProps<"slot_filling">["edit"];

const TYPE_CHOICES = [
  { value: "", label: "Any answer" },
  ...fieldOptions(stateOptionSchema("slot_filling"), "config.validation.slot.type").map((value) => ({ value, label: value })),
];

function ValidationFields({ state, slot, rule, lists, edit }: { state: SlotState; slot: string; rule: SlotValidation; lists: readonly string[]; edit: Edit }) {
  const at = `config.validation.${slot}`;
  const set = (patch: Partial<SlotValidation>, field: string) =>
    edit(withConfig(state, { validation: { ...state.config.validation, [slot]: patched(rule, patch) } }), field);
  return (
    <>
      {rule.type === "regex" ? (
        <TextField path={`${at}.pattern`} hint="Matched against the whole answer, ignoring case." value={rule.pattern ?? ""} onChange={(pattern) => set({ pattern }, `${at}.pattern`)} />
      ) : null}
      {rule.type === "enum" ? (
        <>
          <SelectField
            path={`${at}.list`}
            value={rule.list ?? ""}
            choices={[{ value: "", label: "The values typed below" }, ...lists.map((list) => ({ value: list, label: `Entity list "${list}"` }))]}
            onChange={(list) => set(list === "" ? { list: undefined } : { list, values: undefined }, `${at}.list`)}
          />
          {rule.list === undefined ? (
            <LinesField path={`${at}.values`} hint="One accepted answer per line." values={rule.values ?? []} onChange={(values) => set({ values }, `${at}.values`)} />
          ) : null}
        </>
      ) : null}
      {rule.type === "number" || rule.type === "money" ? (
        <div className={styles.inline}>
          <NumberField path={`${at}.min`} step="any" value={rule.min} onChange={(min) => set({ min }, `${at}.min`)} />
          <NumberField path={`${at}.max`} step="any" value={rule.max} onChange={(max) => set({ max }, `${at}.max`)} />
        </div>
      ) : null}
      <TextField
        path={`${at}.error_message`}
        rows={2}
        hint="Said when the answer does not pass, before asking again."
        value={rule.error_message ?? ""}
        onChange={(text) => set({ error_message: optionalText(text) }, `${at}.error_message`)}
      />
    </>
  );
}

export function SlotFillingForm({ state, names, edit }: FormProps<"slot_filling">) {
  const slots = slotsOf(state);
  const c = state.config;
  return (
    <>
      <FieldGroup path="config.required_slots" label="Slots">
        <ul className={styles.rows}>
          {slots.map((slot, i) => {
            const rule = c.validation?.[slot.name];
            return (
              <li key={i} className={styles.rowItem} data-testid="slot-row" data-slot={slot.name}>
                <NameField
                  label="Slot name"
                  value={slot.name}
                  dataField={slot.path}
                  hint={`Filled answers are {${slot.name}} in templates.`}
                  onCommit={(to) => {
                    const renamed = renameSlot(state, slot.name, to);
                    if ("error" in renamed) return renamed.error;
                    edit(renamed);
                    return null;
                  }}
                />
                <div className={styles.inline}>
                  <SelectField
                    path={slot.path}
                    dataField={null}
                    label="Asked"
                    value={slot.required ? "required" : "optional"}
                    choices={[
                      { value: "required", label: "Required" },
                      { value: "optional", label: "Optional" },
                    ]}
                    onChange={(asked) => edit(setRequired(state, slot.name, asked === "required"))}
                  />
                  <SelectField
                    path={`config.validation.${slot.name}.type`}
                    value={rule?.type ?? ""}
                    choices={TYPE_CHOICES}
                    onChange={(type) => edit(setSlotType(state, slot.name, type === "" ? null : (type as SlotType)))}
                  />
                </div>
                <TextField
                  path={`config.prompts.${slot.name}`}
                  rows={2}
                  value={c.prompts?.[slot.name] ?? ""}
                  onChange={(text) => edit(withConfig(state, { prompts: { ...c.prompts, [slot.name]: text } }), `config.prompts.${slot.name}`)}
                />
                {rule ? (
                  <FieldGroup path={`config.validation.${slot.name}`} label={fieldTitle("slot_filling", "config.validation")}>
                    <ValidationFields state={state} slot={slot.name} rule={rule} lists={names.lists} edit={edit} />
                  </FieldGroup>
                ) : null}
                <SmallButton label="Remove slot" onClick={() => edit(removeSlot(state, slot.name))} />
              </li>
            );
          })}
        </ul>
        <SmallButton
          label="Add slot"
          onClick={() => edit(addSlot(state, uniqueName("slot", (n) => slots.some((s) => s.name === n))))}
        />
      </FieldGroup>
      <NumberField path="config.max_retries" min={1} step={1} value={c.max_retries} onChange={(n) => edit(withConfig(state, { max_retries: n }), "config.max_retries")} />
      <TextField
        path="config.on_max_retries"
        rows={2}
        hint="Said after the last failed try; the conversation then follows the fallback transition."
        value={c.on_max_retries ?? ""}
        onChange={(text) => edit(withConfig(state, { on_max_retries: optionalText(text) }), "config.on_max_retries")}
      />
    </>
  );
}
