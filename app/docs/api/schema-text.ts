import type { ApiDocument, ApiOperation, JsonSchema } from "@/server/http/openapi-types";

/** Reading zod's JSON Schema output as words for the API reference page: no I/O, no React. */

export type OperationEntry = { method: string; path: string; operation: ApiOperation };

const asSchema = (value: unknown): JsonSchema | undefined => (value && typeof value === "object" && !Array.isArray(value) ? (value as JsonSchema) : undefined);
const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
// zod writes JavaScript's safe-integer limits for a bare .int(): no bound a reader needs to see.
const asBound = (value: unknown): number | undefined => (typeof value === "number" && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined);
const show = (value: unknown) => JSON.stringify(value);

export function operationsByTag(doc: ApiDocument): { name: string; description: string; operations: OperationEntry[] }[] {
  const all = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ method, path, operation })));
  return doc.tags.map((tag) => ({ ...tag, operations: all.filter((entry) => entry.operation.tags.includes(tag.name)) }));
}

/** "#/components/schemas/Error" -> "Error"; undefined for anything else. */
export function componentName(schema: JsonSchema | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
}

export const properties = (schema: JsonSchema) => Object.entries(schema.properties ?? {}).map(([name, value]) => ({ name, schema: asSchema(value) ?? {} }));
export const isRequired = (schema: JsonSchema, name: string) => Array.isArray(schema.required) && schema.required.includes(name);
export const variants = (schema: JsonSchema): JsonSchema[] => ((schema.oneOf ?? schema.anyOf ?? []) as unknown[]).map((v) => asSchema(v) ?? {});
export const items = (schema: JsonSchema) => asSchema(schema.items);
/** A map's values (an object with no named properties and a schema for every other key). */
export const mapValues = (schema: JsonSchema) => (schema.properties ? undefined : asSchema(schema.additionalProperties));

/** Worth drawing as nested fields rather than one line. */
export function hasFields(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (schema.properties || variants(schema).length) return true;
  return hasFields(items(schema)) || hasFields(mapValues(schema));
}

/** What a variant of a oneOf is called: its constant discriminator ("type: text"), else its position. */
export function variantLabel(schema: JsonSchema, index: number): string {
  const discriminator = properties(schema).find((p) => p.schema.const !== undefined);
  return discriminator ? `${discriminator.name}: ${show(discriminator.schema.const)}` : `Variant ${index + 1}`;
}

export function typeLabel(schema: JsonSchema): string {
  const component = componentName(schema);
  if (component) return component;
  if (schema.const !== undefined) return show(schema.const);
  if (variants(schema).length) return "one of";
  const element = items(schema);
  if (element) return `array of ${typeLabel(element)}`;
  const values = mapValues(schema);
  if (values) return `map of ${typeLabel(values)}`;
  const type = schema.type;
  if (Array.isArray(type)) return type.join(" or ");
  if (typeof type === "string") return type;
  return "any";
}

/** The rules a value must meet, in words: "1 to 200 characters", "one of: web, slack", "uuid". */
export function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (Array.isArray(schema.enum)) out.push(`one of: ${schema.enum.map((v) => (typeof v === "string" ? v : show(v))).join(", ")}`);
  if (typeof schema.format === "string") out.push(schema.format);
  else if (typeof schema.pattern === "string") out.push(`matches ${schema.pattern}`);
  out.push(...range(asNumber(schema.minLength), asNumber(schema.maxLength), "characters"));
  out.push(...range(asNumber(schema.minItems), asNumber(schema.maxItems), "items"));
  const min = asBound(schema.minimum);
  const max = asBound(schema.maximum);
  const above = asNumber(schema.exclusiveMinimum);
  const below = asNumber(schema.exclusiveMaximum);
  if (min !== undefined && max !== undefined) out.push(`from ${min} to ${max}`);
  else if (min !== undefined) out.push(`at least ${min}`);
  else if (max !== undefined) out.push(`at most ${max}`);
  if (above !== undefined) out.push(`greater than ${above}`);
  if (below !== undefined) out.push(`less than ${below}`);
  if (schema.default !== undefined) out.push(`default ${show(schema.default)}`);
  return out;
}

function range(min: number | undefined, max: number | undefined, unit: string): string[] {
  if (min !== undefined && max !== undefined) return [min === max ? `exactly ${min} ${unit}` : `${min} to ${max} ${unit}`];
  if (min !== undefined) return min > 0 ? [`at least ${min} ${unit}`] : [];
  if (max !== undefined) return [`at most ${max} ${unit}`];
  return [];
}

export const description = (schema: JsonSchema): string | undefined => (typeof schema.description === "string" ? schema.description : undefined);
