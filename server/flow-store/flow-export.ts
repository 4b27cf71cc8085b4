import type { Db } from "@/db/client";
import { flowDefinitionSchema } from "../flows/flow-schema";
import { FLOW_FIELDS, STATE_FIELDS, TRANSITION_FIELDS } from "./draft-shape";
import { requireFlow, storedDraft } from "./flow-service";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

type Reorder = (value: unknown) => unknown;

/**
 * The object's fields in `order` (then any others, in their own order), each passed through `inner` when
 * named there. Built with fromEntries, so a key such as "__proto__" stays a plain field.
 */
function ordered(value: unknown, order: Iterable<string>, inner: Record<string, Reorder> = {}): unknown {
  if (!isRecord(value)) return value;
  const keys = [...new Set([...order, ...Object.keys(value)])].filter((key) => Object.hasOwn(value, key));
  return Object.fromEntries(keys.map((key) => [key, Object.hasOwn(inner, key) ? inner[key]!(value[key]) : value[key]]));
}

const eachValue = (reorder: Reorder): Reorder => (value) => (isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reorder(v)])) : value);

const SETTINGS_FIELDS = Object.keys(flowDefinitionSchema.shape.settings.unwrap().shape);

function orderedState(state: unknown): unknown {
  const fields = isRecord(state) ? STATE_FIELDS.get(state.type as never) : undefined;
  if (!fields) return state;
  return ordered(state, fields.state, {
    config: (config) => ordered(config, fields.config),
    transitions: (list) => (Array.isArray(list) ? list.map((t) => ordered(t, TRANSITION_FIELDS)) : list),
  });
}

/**
 * A definition with its fields in the flow schema's order (states, intents and the author's own maps
 * keep theirs), so the same flow always exports to the same bytes, whatever order it was written in.
 */
export function canonicalFlow(definition: unknown): unknown {
  return ordered(definition, FLOW_FIELDS, { states: eachValue(orderedState), settings: (settings) => ordered(settings, SETTINGS_FIELDS) });
}

/** The flow's name in characters safe in any file system; never hidden (no leading dot), never empty. */
export function exportFilename(name: string): string {
  const safe = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return `${safe || "flow"}.json`;
}

/** The draft as a file: what the editor holds, so importing it gives the same flow back. */
export async function exportFlow(db: Db, tenantId: string, flowId: string) {
  const flow = await requireFlow(db, tenantId, flowId);
  return { filename: exportFilename(flow.name), json: `${JSON.stringify(canonicalFlow(storedDraft(flow.draft)), null, 2)}\n` };
}
