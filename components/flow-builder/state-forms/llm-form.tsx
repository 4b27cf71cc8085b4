"use client";
import { withConfig, type FormProps } from "./form-props";
import { NumberField, TextField } from "./panel-fields";
import { ReferenceHint } from "./response-form";
import { optionalText as optional } from "./values";

export function LlmForm({ state, names, edit }: FormProps<"llm">) {
  const c = state.config;
  return (
    <>
      <TextField path="config.system_prompt" rows={4} value={c.system_prompt} onChange={(text) => edit(withConfig(state, { system_prompt: text }), "config.system_prompt")} />
      <TextField
        path="config.prompt_template"
        rows={2}
        placeholder="{input}"
        hint={<>Empty sends the visitor&apos;s words as they are. <ReferenceHint slots={names.slots} /></>}
        value={c.prompt_template ?? ""}
        onChange={(text) => edit(withConfig(state, { prompt_template: optional(text) }), "config.prompt_template")}
      />
      <TextField
        path="config.model"
        hint="Empty uses the workspace's default model."
        value={c.model ?? ""}
        onChange={(text) => edit(withConfig(state, { model: optional(text) }), "config.model")}
      />
      <NumberField path="config.max_tokens" min={1} step={1} value={c.max_tokens} onChange={(n) => edit(withConfig(state, { max_tokens: n }), "config.max_tokens")} />
      <NumberField
        path="config.timeout_ms"
        min={1}
        max={60_000}
        step={1}
        hint="After this the state answers with the fallback template."
        value={c.timeout_ms}
        onChange={(n) => edit(withConfig(state, { timeout_ms: n }), "config.timeout_ms")}
      />
      <TextField path="config.fallback_template" rows={2} value={c.fallback_template} onChange={(text) => edit(withConfig(state, { fallback_template: text }), "config.fallback_template")} />
    </>
  );
}
