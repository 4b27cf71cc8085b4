import type { DraftState } from "@/lib/flow-builder/document";
import type { StateType } from "@/server/flows/flow-schema";
import { patched } from "./values";

/** Names elsewhere in the flow a form offers as choices. */
export type FlowNames = { states: readonly string[]; intents: readonly string[]; lists: readonly string[]; slots: readonly string[] };

export type StateOfType<T extends StateType> = Extract<DraftState, { type: T }>;
export type ConfigOf<T extends StateType> = StateOfType<T>["config"];

export type FormProps<T extends StateType> = {
  name: string;
  state: StateOfType<T>;
  names: FlowNames;
  /** `field` is set while typing in one field, so the edit merges into one undo step. */
  edit(next: DraftState, field?: string): void;
};

/** The state with its config patched; keys patched to undefined are removed. */
export function withConfig<T extends StateType>(state: StateOfType<T>, patch: Partial<ConfigOf<T>>): StateOfType<T> {
  return { ...state, config: patched(state.config, patch) };
}
