"use client";
import { withConfig, type FormProps } from "./form-props";
import { TextField } from "./panel-fields";
import { optionalText as optional } from "./values";

export function HandoffForm({ state, edit }: FormProps<"handoff">) {
  const c = state.config;
  return (
    <>
      <TextField path="config.message" rows={2} value={c.message} onChange={(text) => edit(withConfig(state, { message: text }), "config.message")} />
      <TextField
        path="config.waiting_message"
        rows={2}
        hint="The answer to each message while the visitor waits for a person; empty repeats the message."
        value={c.waiting_message ?? ""}
        onChange={(text) => edit(withConfig(state, { waiting_message: optional(text) }), "config.waiting_message")}
      />
      <TextField path="config.queue" value={c.queue ?? ""} onChange={(text) => edit(withConfig(state, { queue: optional(text) }), "config.queue")} />
    </>
  );
}
