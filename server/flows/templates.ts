import type { JSONType } from "zod";
import { isPresent, resolveRef, type ReferenceScope } from "./references";

const PLACEHOLDER = /\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}/g;
const WHOLE_PLACEHOLDER = /^\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}$/;

function display(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(display).filter((s) => s !== "").join(", ");
  // Objects never leak as "[object Object]" or JSON into a customer-facing message.
  return "";
}

/**
 * Fills `{ref}` placeholders. A missing value renders as nothing and the surrounding
 * spacing is tidied, so "Hello {user_name}!" becomes "Hello!" rather than "Hello undefined!".
 */
export function renderTemplate(template: string, scope: ReferenceScope, encode?: (value: string) => string): string {
  let sawEmpty = false;
  const out = template.replace(PLACEHOLDER, (_, ref: string) => {
    const text = display(resolveRef(ref, scope));
    if (text === "") sawEmpty = true;
    return encode ? encode(text) : text;
  });
  if (!sawEmpty) return out;
  return out
    .replace(/[ \t]{2,}/g, " ")
    .replace(/ +([,.!?;:)])/g, "$1")
    .replace(/,([.!?])/g, "$1")
    .trim();
}

/** Renders a request_mapping value; a string that is exactly one `{ref}` keeps the slot's type. */
export function renderMapping(value: JSONType, scope: ReferenceScope): unknown {
  if (typeof value === "string") {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    return whole?.[1] ? resolveRef(whole[1], scope) : renderTemplate(value, scope);
  }
  if (Array.isArray(value)) return value.map((v) => renderMapping(v, scope));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderMapping(v, scope)]));
  }
  return value;
}

function truthy(value: unknown): boolean {
  return isPresent(value) && value !== false && value !== 0 && value !== "false";
}

/** See `responseTemplatesSchema` for how a variant is chosen. */
export function pickTemplate(
  templates: { default: string } & Record<string, string>,
  scope: ReferenceScope,
  returningUser: boolean,
): string {
  for (const [name, template] of Object.entries(templates)) {
    if (name === "default") continue;
    const applies = truthy(scope.slots[name]) || (name === "returning_user" && returningUser);
    if (applies) return template;
  }
  return templates.default;
}
