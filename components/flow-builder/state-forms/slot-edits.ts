import { reservedNameProblem } from "@/lib/flow-builder/document";
import type { SlotValidation } from "@/server/flows/flow-schema";
import type { StateOfType } from "./form-props";
import { renameKey, withoutKey } from "./values";

type SlotState = StateOfType<"slot_filling">;
export type SlotType = SlotValidation["type"];

/** Every slot the state asks for, required ones first, with the path of its name (the validator's field). */
export function slotsOf(state: SlotState): { name: string; required: boolean; path: string }[] {
  const { required_slots = [], optional_slots = [] } = state.config;
  return [
    ...required_slots.map((name, i) => ({ name, required: true, path: `config.required_slots.${i}` })),
    ...optional_slots.map((name, i) => ({ name, required: false, path: `config.optional_slots.${i}` })),
  ];
}

const namesOf = (state: SlotState) => slotsOf(state).map((s) => s.name);

/** Renames the slot wherever this state keys by it: its list, prompt, validation and the slot_filled transitions waiting for it. */
export function renameSlot(state: SlotState, from: string, to: string): SlotState | { error: string } {
  const name = to.trim();
  if (name === from) return state;
  if (name === "") return { error: "Slot name is required" };
  const reserved = reservedNameProblem(name);
  if (reserved) return { error: reserved };
  if (namesOf(state).includes(name)) return { error: `This state already asks for a slot "${name}"` };
  const c = state.config;
  const swap = (list: string[] | undefined) => list?.map((s) => (s === from ? name : s));
  return {
    ...state,
    config: {
      ...c,
      required_slots: swap(c.required_slots),
      optional_slots: swap(c.optional_slots),
      prompts: renameKey(c.prompts ?? {}, from, name),
      validation: renameKey(c.validation ?? {}, from, name),
    },
    transitions: state.transitions?.map((t) => (t.condition === "slot_filled" && t.condition_value === from ? { ...t, condition_value: name } : t)),
  };
}

export function setRequired(state: SlotState, slot: string, required: boolean): SlotState {
  const c = state.config;
  const without = (list: string[] = []) => list.filter((s) => s !== slot);
  return {
    ...state,
    config: {
      ...c,
      required_slots: required ? [...without(c.required_slots), slot] : without(c.required_slots),
      optional_slots: required ? without(c.optional_slots) : [...without(c.optional_slots), slot],
    },
  };
}

export function removeSlot(state: SlotState, slot: string): SlotState {
  const c = state.config;
  return {
    ...state,
    config: {
      ...c,
      required_slots: (c.required_slots ?? []).filter((s) => s !== slot),
      optional_slots: (c.optional_slots ?? []).filter((s) => s !== slot),
      prompts: withoutKey(c.prompts ?? {}, slot),
      validation: withoutKey(c.validation ?? {}, slot),
    },
  };
}

/** What each check type reads; switching type drops what the new one would ignore, but keeps the error message. */
const FIELDS_OF: Record<SlotType, readonly (keyof SlotValidation)[]> = {
  email: [],
  phone: [],
  date: [],
  number: ["min", "max"],
  money: ["min", "max"],
  regex: ["pattern"],
  enum: ["values", "list"],
};

export function setSlotType(state: SlotState, slot: string, type: SlotType | null): SlotState {
  const validation = state.config.validation ?? {};
  if (type === null) return { ...state, config: { ...state.config, validation: withoutKey(validation, slot) } };
  const current = validation[slot];
  const next: SlotValidation = { type, ...(current?.error_message !== undefined && { error_message: current.error_message }) };
  for (const key of FIELDS_OF[type]) if (current?.[key] !== undefined) Object.assign(next, { [key]: current[key] });
  return { ...state, config: { ...state.config, validation: { ...validation, [slot]: next } } };
}

export function addSlot(state: SlotState, name: string): SlotState {
  const c = state.config;
  return { ...state, config: { ...c, required_slots: [...(c.required_slots ?? []), name], prompts: { ...(c.prompts ?? {}), [name]: "" } } };
}
