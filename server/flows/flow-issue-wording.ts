import type { z } from "zod";
import { fieldLabel, isPluralLabel, plainIssueMessage } from "../errors/zod-messages";
import { stateSchema, type StateType } from "./flow-schema";

/** State types as a person reads them, with their article: "a response state", "an LLM state". */
export const STATE_WORDS: Record<StateType, string> = {
  response: "a response",
  intent: "an intent",
  slot_filling: "a slot-filling",
  integration: "an integration",
  condition: "a condition",
  llm: "an LLM",
  handoff: "a handoff",
};
const STATE_TYPES = stateSchema.options.map((o) => o.shape.type.value);

export const capitalized = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

const isStateType = (type: unknown): type is StateType => typeof type === "string" && Object.hasOwn(STATE_WORDS, type);

/** "Message" -> "a message", "Intent patterns" -> "intent patterns", "Integration ID" -> "an integration ID". */
function withArticle(label: string): string {
  const words = /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  if (isPluralLabel(label)) return words;
  return `${/^[aeiou]/i.test(words) ? "an" : "a"} ${words}`;
}

/** What the state (or transition) a problem sits in is called; the flow's own fields have none. */
export function placeOf(path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== "states" || path.length < 2) return undefined;
  const name = String(path[1]);
  return path[2] === "transitions" && typeof path[3] === "number" ? `Transition ${path[3] + 1} of state "${name}"` : `State "${name}"`;
}

/** The flow's wording for a schema problem: "A handoff state needs a message"; fromZod says where. */
export function flowIssueMessage(raw: z.core.$ZodRawIssue, input: unknown): string {
  const path = raw.path ?? [];
  if (path[0] !== "states" || path.length < 2) return plainIssueMessage(raw);
  const given = (input as { states?: Record<string, { type?: unknown } | undefined> } | null)?.states?.[String(path[1])];
  const type = given && typeof given === "object" ? given.type : undefined;
  if (path.length === 2) return "A state must be an object with a type, a config and transitions";
  if (path[2] === "type") {
    const use = `use one of: ${STATE_TYPES.join(", ")}`;
    return type === undefined ? `Type is required; ${use}` : `Type "${String(type)}" is not a state type; ${use}`;
  }
  const inTransition = path[2] === "transitions" && path.length > 3;
  if (raw.code === "invalid_type" && raw.input === undefined && !inTransition && isStateType(type)) {
    return `${capitalized(STATE_WORDS[type])} state needs ${withArticle(fieldLabel(raw))}`;
  }
  return plainIssueMessage(raw);
}
