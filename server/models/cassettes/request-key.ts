import { createHash } from "node:crypto";
import { isSecretName, scrubJson, scrubText, secretsInHeaders } from "./scrub";

/** What identifies a provider request across runs: no host or port, no headers but the content type, no secrets. */
export type NormalisedRequest = { method: string; path: string; content_type: string | null; body: unknown };

/** `known` are the request's own credentials (from its headers), removed wherever the body repeats them. */
export function normaliseRequest(req: { method: string; url: string; contentType: string | null; body: string }, known: readonly string[] = []): NormalisedRequest {
  const url = new URL(req.url);
  const params = [...url.searchParams].filter(([name]) => !isSecretName(name)).sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
  const query = new URLSearchParams(params).toString();
  const contentType = req.contentType?.split(";")[0]!.trim().toLowerCase() || null;
  return { method: req.method.toUpperCase(), path: url.pathname + (query ? `?${query}` : ""), content_type: contentType, body: normaliseBody(req.body, contentType, known) };
}

function normaliseBody(body: string, contentType: string | null, known: readonly string[]): unknown {
  if (body === "") return null;
  if (contentType === "application/json") {
    try {
      return scrubJson(JSON.parse(body), known);
    } catch {
      // Not JSON after all: keyed by its text.
    }
  }
  return scrubText(body, known);
}

export function cassetteKey(req: NormalisedRequest): string {
  return createHash("sha256").update(JSON.stringify(req)).digest("hex").slice(0, 32);
}

/** The model a request asks for, to name it in messages. */
export function requestModel(req: NormalisedRequest): string | null {
  const model = (req.body as { model?: unknown } | null)?.model;
  return typeof model === "string" ? model : null;
}

/** A fetch call's request, read once: its body text, its credentials and its cassette key. */
export async function readProviderRequest(input: RequestInfo | URL, init?: RequestInit) {
  const request = new Request(input, init);
  const body = request.body ? await request.text() : "";
  const secrets = secretsInHeaders(request.headers);
  const normalised = normaliseRequest({ method: request.method, url: request.url, contentType: request.headers.get("content-type"), body }, secrets);
  return { request, body, secrets, normalised, key: cassetteKey(normalised) };
}
