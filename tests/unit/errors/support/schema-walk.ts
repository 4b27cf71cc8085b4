import { z } from "zod";
import { humanizeKey } from "@/server/errors/zod-messages";

/*
 * Walks a zod schema's definition to build bad input for it and to say which words may name a field.
 * Independent of the error map: it reads the schema, not the messages.
 */

type Def = {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
  entries?: Record<string, unknown>;
  values?: unknown[];
  format?: string;
  checks?: { _zod: { def: CheckDef } }[];
};
type CheckDef = { check: string; minimum?: number; maximum?: number; value?: number; inclusive?: boolean };
/** What this walk reads of a schema: its definition. */
export type Schema = { _zod: { def: Def } };

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional"]);

/** The schema and every wrapper or pipe end it is made of, outermost first. */
export function layers(schema: Schema): Schema[] {
  const found: Schema[] = [schema];
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type) && def.innerType) found.push(...layers(def.innerType));
  if (def.type === "pipe") for (const end of [def.in, def.out]) if (end) found.push(...layers(end));
  return found;
}

/** The layer that decides the input's shape: wrappers peeled, a pipe's input end. */
function core(schema: Schema): Schema {
  const def = schema._zod.def;
  if (WRAPPERS.has(def.type) && def.innerType) return core(def.innerType);
  // z.preprocess pipes a transform into the schema that reads the input.
  if (def.type === "pipe" && def.in) return core(def.in._zod.def.type === "transform" ? def.out! : def.in);
  return schema;
}

const check = (schema: Schema, name: string): CheckDef | undefined => schema._zod.def.checks?.find((c) => c._zod.def.check === name)?._zod.def;

export type BadKind = "empty" | "wrong type" | "out of range" | "bad format";
export const BAD_KINDS: BadKind[] = ["empty", "wrong type", "out of range", "bad format"];

/** Discriminated-union options, so each state or content type gets its own bad input. */
export function variantCount(schema: Schema, depth = 0): number {
  if (depth > 6) return 1;
  const s = core(schema);
  const def = s._zod.def;
  const own = def.type === "union" && def.discriminator ? (def.options?.length ?? 1) : 1;
  const children = [...Object.values(def.shape ?? {}), ...(def.element ? [def.element] : []), ...(def.valueType ? [def.valueType] : []), ...(def.options ?? [])];
  return Math.max(own, ...children.map((c) => variantCount(c, depth + 1)));
}

/** A value of `kind` for the schema; undefined leaves the field out. */
export function badValue(schema: Schema, kind: BadKind, variant = 0, depth = 0): unknown {
  if (depth > 6) return undefined;
  const s = core(schema);
  const def = s._zod.def;
  switch (def.type) {
    case "string": {
      if (kind === "empty") return "";
      if (kind === "wrong type") return 12345;
      if (kind === "bad format") return def.format ? "not a valid one" : undefined;
      const max = check(s, "max_length")?.maximum;
      const min = check(s, "min_length")?.minimum;
      return max !== undefined ? "x".repeat(max + 1) : min !== undefined && min > 1 ? "x" : undefined;
    }
    case "number": {
      if (kind === "wrong type") return "twelve";
      if (kind === "empty") return undefined;
      const below = check(s, "greater_than");
      const above = check(s, "less_than");
      if (kind === "bad format") return below || above ? undefined : 1.5;
      return above?.value !== undefined ? above.value + 1 : below?.value !== undefined ? below.value - 1 : undefined;
    }
    case "boolean":
      return kind === "wrong type" ? "yes" : undefined;
    case "enum":
    case "literal":
      return kind === "wrong type" ? 42 : kind === "bad format" ? "not-one-of-these" : undefined;
    case "array": {
      if (kind === "wrong type") return "not a list";
      if (kind === "empty") return [];
      const max = check(s, "max_length")?.maximum;
      const item = badValue(def.element!, kind, variant, depth + 1);
      return max !== undefined ? Array.from({ length: max + 1 }, () => item ?? "x") : item === undefined ? undefined : [item];
    }
    case "record":
      if (kind === "wrong type") return "not an object";
      return { some_key: badValue(def.valueType!, kind, variant, depth + 1) };
    case "object": {
      if (kind === "wrong type" && depth > 0) return "not an object";
      const value: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape!)) {
        const bad = badValue(field, kind, variant, depth + 1);
        if (bad !== undefined) value[key] = bad;
      }
      return value;
    }
    case "union": {
      if (!def.discriminator) return kind === "wrong type" ? { unexpected: true } : undefined;
      if (kind === "bad format") return { [def.discriminator]: "not-a-kind" };
      const option = def.options![variant % def.options!.length]!;
      const value = badValue(option, kind, variant, depth + 1) as Record<string, unknown>;
      const tag = core(option._zod.def.shape![def.discriminator]!)._zod.def.values?.[0];
      return { ...value, [def.discriminator]: tag };
    }
    default:
      return undefined;
  }
}

function titlesOf(schema: Schema): string[] {
  return layers(schema).flatMap((layer) => {
    const title = z.globalRegistry.get(layer as unknown as z.core.$ZodType)?.title;
    return typeof title === "string" ? [title] : [];
  });
}

function childAt(schema: Schema, key: PropertyKey, input: unknown): Schema[] {
  const s = core(schema);
  const def = s._zod.def;
  if (def.type === "object") return def.shape![String(key)] ? [def.shape![String(key)]!] : [];
  if (def.type === "record") return [def.valueType!];
  if (def.type === "array") return [def.element!];
  if (def.type === "union") {
    const tag = def.discriminator && input && typeof input === "object" ? (input as Record<string, unknown>)[def.discriminator] : undefined;
    const matching = def.options!.filter((o) => !def.discriminator || core(o._zod.def.shape![def.discriminator]!)._zod.def.values?.includes(tag));
    return (matching.length ? matching : def.options!).flatMap((o) => childAt(o, key, input));
  }
  return [];
}

/** Words that may name the field at `path`: its titles, its parent's (a union's "Content" type), its keys humanized. */
export function labelsAt(root: Schema, path: readonly PropertyKey[], input: unknown): string[] {
  let here: Schema[] = [root];
  let parent: Schema[] = [];
  let value = input;
  for (const key of path) {
    parent = here;
    here = here.flatMap((s) => childAt(s, key, value));
    value = value && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  const keys = path.filter((k): k is string => typeof k === "string").map(humanizeKey);
  return [...here.flatMap(titlesOf), ...parent.flatMap(titlesOf), ...keys];
}

/** zod's own English, which no person should see. */
export const ZOD_DEFAULT = /invalid input|invalid option|invalid string|invalid element|invalid key|unrecognized key|expected|received|too big|too small|<=|>=/i;
