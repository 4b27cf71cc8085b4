// Secrets must never reach a cassette file (they are committed) nor a cassette key (recording with
// another key must find the same cassette).

const SCRUBBED = "[scrubbed]";

/** Headers that carry credentials in the providers' APIs (OpenAI, Anthropic, Azure-style). */
export const SECRET_HEADERS = ["authorization", "x-api-key", "api-key", "proxy-authorization", "cookie", "set-cookie"];

/** JSON fields and query parameters whose value is a credential whatever it looks like. */
const SECRET_NAME = /^(api[-_]?key|x-api-key|key|secret|client[-_]?secret|access[-_]?token|refresh[-_]?token|token|password|authorization)$/i;

/** Text that looks like a key: provider key prefixes (and OpenAI's partial quote `sk-abcd***`), bearer tokens, Google keys. */
const KEY_LOOKING = [/\bsk-[A-Za-z0-9_-]{3,}\**/g, /\bBearer\s+[A-Za-z0-9._~+/=-]{6,}/gi, /\bAIza[0-9A-Za-z_-]{30,}/g];

export const isSecretName = (name: string) => SECRET_NAME.test(name);

/** The credentials a request carries in its headers, so their exact values can be removed wherever they echo. */
export function secretsInHeaders(headers: Headers): string[] {
  const values: string[] = [];
  for (const name of SECRET_HEADERS) {
    const v = headers.get(name);
    if (!v) continue;
    values.push(v);
    const bare = v.replace(/^(Bearer|Basic)\s+/i, "");
    if (bare !== v) values.push(bare);
  }
  return values.filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

export function scrubText(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join(SCRUBBED);
  for (const pattern of KEY_LOOKING) out = out.replace(pattern, SCRUBBED);
  return out;
}

/** A JSON value with credential-named fields blanked, key-looking strings scrubbed and object keys sorted. */
export function scrubJson(value: unknown, known: readonly string[] = []): unknown {
  if (typeof value === "string") return scrubText(value, known);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, known));
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, isSecretName(k) && typeof v === "string" ? SCRUBBED : scrubJson(v, known)]));
  }
  return value;
}
