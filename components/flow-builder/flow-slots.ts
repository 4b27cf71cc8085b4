import type { DraftState } from "@/lib/flow-builder/document";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";

/** The slots a state fills: asked by a slot-filling state, or taken from an integration's answer. */
export function slotsFilledBy(state: DraftState): string[] {
  if (state.type === "slot_filling") return [...(state.config.required_slots ?? []), ...(state.config.optional_slots ?? [])];
  if (state.type === "integration") return Object.keys(state.config.response_mapping ?? {});
  return [];
}

/** Every slot the flow fills, once each, in the order the states declare them. */
export function flowSlots(states: FlowDefinitionInput["states"]): string[] {
  return [...new Set(Object.values(states).flatMap(slotsFilledBy))];
}
