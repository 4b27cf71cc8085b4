"use client";
import { withConfig, type FormProps } from "./form-props";
import { ListField, NumberField } from "./panel-fields";

export function IntentForm({ state, names, edit }: FormProps<"intent">) {
  const patterns = state.config.intent_patterns;
  return (
    <>
      <ListField
        path="config.intent_patterns"
        values={patterns}
        suggestions={names.intents}
        addLabel="Listen for another intent"
        newItem={() => names.intents.find((intent) => !patterns.includes(intent)) ?? ""}
        onChange={(next, field) => edit(withConfig(state, { intent_patterns: next }), field)}
      />
      <NumberField
        path="config.confidence_threshold"
        min={0}
        max={1}
        step={0.05}
        hint="From 0 to 1: below it the visitor's words count as no intent and the fallback transition is taken."
        value={state.config.confidence_threshold}
        onChange={(threshold) => edit(withConfig(state, { confidence_threshold: threshold }), "config.confidence_threshold")}
      />
    </>
  );
}
