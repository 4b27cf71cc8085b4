"use client";
import { uniqueName } from "@/lib/flow-builder/edits";
import { CarouselEditor } from "./carousel-editor";
import { withConfig, type FormProps } from "./form-props";
import { CheckboxField, ListField, TextField } from "./panel-fields";
import { RecordRows } from "./record-rows";
import { withoutKey } from "./values";

const RETURNING_USER = "returning_user";

/** What `{...}` does in a template, with the slots this flow collects. */
export function ReferenceHint({ slots }: { slots: readonly string[] }) {
  return (
    <>
      <code>{"{name}"}</code> inserts the slot or entity <code>name</code>; <code>{"{input}"}</code> the visitor&apos;s words.
      {slots.length > 0 ? (
        <>
          {" "}
          Slots in this flow: {slots.map((s) => `{${s}}`).join(", ")}.
        </>
      ) : null}
    </>
  );
}

export function ResponseForm({ name, state, names, edit }: FormProps<"response">) {
  const config = state.config;
  const templates = config.response_templates;
  const variants = withoutKey(templates, "default");
  return (
    <>
      <RecordRows
        path="config.response_templates"
        lead={
          <TextField
            path="config.response_templates.default"
            rows={3}
            value={templates.default}
            hint={<ReferenceHint slots={names.slots} />}
            onChange={(text) => edit(withConfig(state, { response_templates: { ...templates, default: text } }), "config.response_templates.default")}
          />
        }
        record={variants}
        keyLabel="Variant"
        keyHint={`Used instead of the default when the slot of this name is filled, or "${RETURNING_USER}" for a visitor who has talked to the bot before.`}
        keySuggestions={[RETURNING_USER, ...names.slots]}
        reserved={["default"]}
        addLabel="Add variant"
        onChange={(next, field) => edit(withConfig(state, { response_templates: { default: templates.default, ...next } }), field)}
        newEntry={(taken) => {
          const free = [RETURNING_USER, ...names.slots].find((candidate) => !taken.includes(candidate));
          return [free ?? uniqueName("variant", (n) => taken.includes(n)), ""];
        }}
        renderValue={(key, value, set) => <TextField path={`config.response_templates.${key}`} rows={2} value={value} onChange={set} />}
      />
      <ListField
        path="config.quick_replies"
        values={config.quick_replies ?? []}
        addLabel="Add quick reply"
        newItem={() => ""}
        onChange={(replies, field) => edit(withConfig(state, { quick_replies: replies.length > 0 ? replies : undefined }), field)}
      />
      <CarouselEditor name={name} state={state} names={names} edit={edit} />
      <CheckboxField
        path="config.end"
        hint="The conversation ends after this answer; transitions are not followed."
        checked={config.end === true}
        onChange={(end) => edit(withConfig(state, { end: end || undefined }))}
      />
    </>
  );
}
