"use client";
import { handoffConfigSchema } from "@/server/flows/flow-schema";
import { DEFAULT_AWAY_MESSAGE } from "@/server/inbox/handoff-defaults";
import { withConfig, type FormProps } from "./form-props";
import { NumberField, TextField } from "./panel-fields";
import { optionalText as optional } from "./values";

// Read from the schema the validator checks with, so the number control and the validator's message agree.
const awayTimeout = handoffConfigSchema.shape.away_timeout_seconds.unwrap();

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
      <NumberField
        path="config.away_timeout_seconds"
        min={awayTimeout.minValue ?? undefined}
        max={awayTimeout.maxValue ?? undefined}
        step={1}
        hint="While nobody in the workspace is available, after this many seconds of waiting the bot takes the conversation back: it sends the away message and follows this state's fallback transition (the initial state when there is none). Empty: the visitor waits for a person however long it takes."
        value={c.away_timeout_seconds}
        onChange={(n) => edit(withConfig(state, { away_timeout_seconds: n }), "config.away_timeout_seconds")}
      />
      <TextField
        path="config.away_message"
        rows={2}
        placeholder={DEFAULT_AWAY_MESSAGE}
        hint="Sent when the away timeout takes the conversation back; empty sends the text shown here."
        value={c.away_message ?? ""}
        onChange={(text) => edit(withConfig(state, { away_message: optional(text) }), "config.away_message")}
      />
    </>
  );
}
