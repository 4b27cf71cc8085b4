import { z } from "zod";
import { humanizeKey } from "@/server/errors/zod-messages";
import { stateSchema, type StateType } from "@/server/flows/flow-schema";

/*
 * The side panel's labels and choices read from the schema the engine parses with, so a field
 * renamed or an option added there shows up here with no second list to keep in step.
 */

type Def = {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  out?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
  catchall?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  entries?: Record<string, string>;
};

const defOf = (node: z.core.$ZodType): Def => node._zod.def as unknown as Def;

const WRAPPERS = new Set(["optional", "default", "prefault", "nullable", "nonoptional", "catch", "readonly"]);

/** The node and what it wraps, outermost first; a pipe contributes both ends (the method: a string piped into an enum). */
function chainOf(node: z.core.$ZodType): z.core.$ZodType[] {
  const chain: z.core.$ZodType[] = [];
  let current: z.core.$ZodType | undefined = node;
  while (current) {
    chain.push(current);
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === "pipe") {
      chain.push(...chainOf(def.in!));
      current = def.out;
    } else current = undefined;
  }
  return chain;
}

function childOf(node: z.core.$ZodType, key: string): z.core.$ZodType | undefined {
  for (const link of chainOf(node)) {
    const def = defOf(link);
    if (def.type === "object") return (Object.hasOwn(def.shape!, key) ? def.shape![key] : undefined) ?? def.catchall;
    if (def.type === "record") return def.valueType;
    if (def.type === "array") return /^\d+$/.test(key) ? def.element : undefined;
  }
  return undefined;
}

/** The schema node at a dotted path ("config.prompts.email", "transitions.0.target_state"), or undefined. */
export function schemaAt(root: z.core.$ZodType, path: string): z.core.$ZodType | undefined {
  let node: z.core.$ZodType | undefined = root;
  for (const key of path.split(".")) node = node && childOf(node, key);
  return node;
}

export function stateOptionSchema(type: StateType): z.core.$ZodType {
  const option = stateSchema.options.find((o) => o.shape.type.value === type);
  if (!option) throw new Error(`No state schema for type ${type}`);
  return option;
}

const titleIn = (node: z.core.$ZodType): string | undefined => {
  for (const link of chainOf(node)) {
    const title = z.globalRegistry.get(link)?.title;
    if (typeof title === "string" && title.trim()) return title;
  }
  return undefined;
};

/** The `.meta({ title })` at `path` under `root`; the humanized key, as the error map does, where the schema has none. */
export function titleAt(root: z.core.$ZodType, path: string): string {
  const node = schemaAt(root, path);
  const title = node && titleIn(node);
  if (title) return title;
  const keys = path.split(".");
  const last = keys.at(-1) ?? path;
  if (!/^\d+$/.test(last) || keys.length < 2) return humanizeKey(last);
  // An untitled list item is called what the error map calls it: "Item 2 of quick replies".
  const list = titleAt(root, keys.slice(0, -1).join("."));
  return `Item ${Number(last) + 1} of ${/^[A-Z][A-Z]/.test(list) ? list : list.charAt(0).toLowerCase() + list.slice(1)}`;
}

/** The label of a state field: `fieldTitle("llm", "config.max_tokens")` -> "Max tokens". */
export const fieldTitle = (type: StateType, path: string): string => titleAt(stateOptionSchema(type), path);

/** The values an enum field accepts, in the schema's order: `fieldOptions("integration", "config.method")`. */
export function fieldOptions(root: z.core.$ZodType, path: string): string[] {
  const node = schemaAt(root, path);
  const enumNode = node && chainOf(node).find((link) => defOf(link).type === "enum");
  return enumNode ? Object.values(defOf(enumNode).entries!) : [];
}
