import { z } from "zod";

/*
 * The product's one zod error map: every message names the field and says the rule in plain words
 * ("Flow name is at most 80 characters", "Email is required"), never zod's default English.
 *
 * The field's label is the `.meta({ title })` of the schema that raised the issue (or one it was
 * derived from: `z.string().meta({ title }).max(80)` works too), else the humanized last path key.
 * Put the title on the validating schema, not on a wrapper around it: in
 * `z.string().max(80).optional().meta({ title })` the string raises the issue and cannot see the
 * optional's title, so write `z.string().max(80).meta({ title }).optional()`.
 *
 * A message written in a schema still wins. A refinement whose rule needs words but should still be
 * introduced by the label uses `saying("must not contain ...")` (below) instead of a message.
 *
 * Importing this module installs the map; the entry points that parse (tRPC, REST, CLI, the flow
 * validator, the test setup) import it.
 */

type RawIssue = z.core.$ZodRawIssue;

const ACRONYMS = new Set(["api", "id", "ids", "url", "urls", "uuid", "json", "http", "https", "ip", "llm", "smtp", "sms", "cta"]);

/** "companyName" -> "Company name", "api_base_url" -> "API base URL". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  if (words.length === 0) return key;
  const [first, ...rest] = words;
  return [first!.charAt(0).toUpperCase() + first!.slice(1), ...rest].join(" ");
}

/** "Intent patterns" -> "intent patterns", but "API base URL" stays as it is. */
const lowerFirst = (label: string) => (/^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

function titleOf(schema: unknown): string | undefined {
  if (!schema || typeof schema !== "object" || !("_zod" in schema)) return undefined;
  const title = z.globalRegistry.get(schema as z.core.$ZodType)?.title;
  return typeof title === "string" && title.trim() ? title : undefined;
}

function labelFromPath(path: readonly PropertyKey[]): string {
  const keys = path.map((k) => (typeof k === "symbol" ? k.description ?? "" : k));
  const at = keys.findLastIndex((k) => typeof k === "string");
  if (at === -1) return keys.length ? `Item ${Number(keys.at(-1)) + 1}` : "This value";
  const field = humanizeKey(keys[at] as string);
  const index = keys.slice(at + 1).find((k) => typeof k === "number");
  return index === undefined ? field : `Item ${index + 1} of ${lowerFirst(field)}`;
}

/** The words a person knows the field by. */
export function fieldLabel(issue: Pick<RawIssue, "inst" | "schema" | "path">): string {
  return titleOf(issue.inst) ?? titleOf(issue.schema) ?? labelFromPath(issue.path ?? []);
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  nan: "a number",
  boolean: "true or false",
  array: "a list",
  tuple: "a list",
  set: "a list",
  object: "an object with named fields",
  record: "an object with named fields",
  map: "an object with named fields",
  date: "a date",
  file: "a file",
  null: "empty",
};

const FORMAT_WORDS: Record<string, string> = {
  email: "a valid email address",
  url: "a valid URL",
  uuid: "a valid UUID",
  guid: "a valid UUID",
  cuid: "a valid id",
  cuid2: "a valid id",
  ulid: "a valid id",
  nanoid: "a valid id",
  datetime: "a date and time such as 2025-01-31T09:30:00Z",
  date: "a date such as 2025-01-31",
  time: "a time such as 09:30",
  duration: "a duration such as PT5M",
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
  cidrv4: "an IPv4 range",
  cidrv6: "an IPv6 range",
  e164: "a phone number in international format, such as +14155550123",
  base64: "base64 text",
  base64url: "base64url text",
  jwt: "a JSON web token",
  emoji: "a single emoji",
  lowercase: "in lowercase",
  uppercase: "in uppercase",
  hex: "hexadecimal text",
};

/** Whether a label names several things ("States", "Intent patterns"): its head noun before " in "/" of "/"(" ends in a plural s. */
export function isPluralLabel(label: string): boolean {
  const head = label.split(/ (?:in|of) | \(/)[0]!.trim().split(" ").at(-1) ?? "";
  return /[^s]s$/i.test(head) && !/(us|is)$/i.test(head) && head.toUpperCase() !== head;
}

const is = (label: string) => (isPluralLabel(label) ? "are" : "is");
const needs = (label: string) => (isPluralLabel(label) ? "need" : "needs");
const has = (label: string) => (isPluralLabel(label) ? "have" : "has");

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

function oneOf(values: readonly unknown[]): string {
  return values.length === 1 ? `must be ${String(values[0])}` : `must be one of: ${values.map(String).join(", ")}`;
}

function tooSmall(label: string, issue: Extract<RawIssue, { code: "too_small" }>): string {
  const n = issue.minimum;
  switch (issue.origin) {
    case "string":
      if (issue.exact) return `${label} must be exactly ${plural(n, "character", "characters")}`;
      return Number(n) <= 1 && issue.inclusive !== false ? `${label} ${is(label)} required` : `${label} must be at least ${plural(n, "character", "characters")}`;
    case "array":
    case "set":
      if (issue.exact) return `${label} must have exactly ${plural(n, "item", "items")}`;
      return `${label} ${needs(label)} at least ${Number(n) <= 1 && issue.inclusive !== false ? "one item" : plural(n, "item", "items")}`;
    case "file":
      return `${label} must be at least ${plural(n, "byte", "bytes")}`;
    case "date":
      return `${label} must be ${issue.inclusive ? "on or after" : "after"} ${new Date(Number(n)).toISOString()}`;
    default:
      return issue.inclusive === false ? `${label} must be more than ${n}` : `${label} must be at least ${n}`;
  }
}

function tooBig(label: string, issue: Extract<RawIssue, { code: "too_big" }>): string {
  const n = issue.maximum;
  switch (issue.origin) {
    case "string":
      return issue.exact ? `${label} must be exactly ${plural(n, "character", "characters")}` : `${label} ${is(label)} at most ${plural(n, "character", "characters")}`;
    case "array":
    case "set":
      return issue.exact ? `${label} must have exactly ${plural(n, "item", "items")}` : `${label} can have at most ${plural(n, "item", "items")}`;
    case "file":
      return `${label} can be at most ${plural(n, "byte", "bytes")}`;
    case "date":
      return `${label} must be ${issue.inclusive ? "on or before" : "before"} ${new Date(Number(n)).toISOString()}`;
    default:
      return issue.inclusive === false ? `${label} must be less than ${n}` : `${label} must be at most ${n}`;
  }
}

function invalidFormat(label: string, issue: Extract<RawIssue, { code: "invalid_format" }>): string {
  const detail = issue as { prefix?: string; suffix?: string; includes?: string };
  if (issue.format === "starts_with") return `${label} must start with "${detail.prefix}"`;
  if (issue.format === "ends_with") return `${label} must end with "${detail.suffix}"`;
  if (issue.format === "includes") return `${label} must contain "${detail.includes}"`;
  const words = FORMAT_WORDS[issue.format];
  if (words) return `${label} must be ${words}`;
  return `${label} ${is(label)} not in the right format`;
}

function invalidUnion(label: string, issue: Extract<RawIssue, { code: "invalid_union" }>): string {
  const { discriminator, options } = issue as { discriminator?: string; options?: readonly unknown[] };
  if (discriminator) {
    // The issue sits at the discriminator ("content.type"); the union's own title names what it is the type of.
    const union = titleOf(issue.inst);
    const which = union ? `${union} ${lowerFirst(humanizeKey(discriminator))}` : label;
    return options?.length ? `${which} ${oneOf(options)}` : `${which} ${is(which)} not valid`;
  }
  return `${label} ${is(label)} not valid`;
}

/** The plain message for one issue; exported for callers that phrase around it (the flow validator). */
export function plainIssueMessage(issue: RawIssue): string {
  const label = fieldLabel(issue);
  // A missing value fails an enum or literal with invalid_value; for a person it is missing all the same.
  if ((issue.code === "invalid_value" || issue.code === "invalid_type") && (issue.input === undefined || issue.input === null)) return `${label} ${is(label)} required`;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "never" || issue.expected === "undefined") return `${label} ${is(label)} not allowed here`;
      return `${label} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "too_small":
      return tooSmall(label, issue);
    case "too_big":
      return tooBig(label, issue);
    case "invalid_format":
      return invalidFormat(label, issue);
    case "not_multiple_of":
      return `${label} must be a multiple of ${issue.divisor}`;
    case "invalid_value":
      return `${label} ${oneOf(issue.values)}`;
    case "unrecognized_keys": {
      const where = issue.path?.length ? ` in ${lowerFirst(label)}` : "";
      return `${issue.keys.length === 1 ? "Unknown field" : "Unknown fields"}${where}: ${issue.keys.join(", ")}`;
    }
    case "invalid_union":
      return invalidUnion(label, issue);
    case "invalid_key":
      return `${label} ${has(label)} a name that is not allowed`;
    case "invalid_element":
      return `${label} ${has(label)} an item that is not valid`;
    case "custom": {
      const says = (issue.params as { says?: unknown } | undefined)?.says;
      return typeof says === "string" ? `${label} ${says}` : `${label} ${is(label)} not valid`;
    }
    default:
      return `${label} ${is(label)} not valid`;
  }
}

/**
 * Refinement options for a rule that needs words, said after the field's label:
 * `.refine(isStorableText, saying("must not contain NUL characters"))` -> "User ID must not contain NUL characters".
 * The map is the check's own, so it also outranks an `error` written on the schema the check is attached to.
 */
export const saying = (says: string) => ({ params: { says }, error: (issue: RawIssue) => plainIssueMessage(issue) });

/** One sentence for a whole failed parse: its first problem (every one is listed per field as well). */
export function summarizeIssues(error: z.ZodError): string {
  return error.issues[0]?.message ?? "Please check the highlighted fields.";
}

z.config({ customError: plainIssueMessage });
