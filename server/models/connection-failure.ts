import type { ProviderKind } from "@/db/schema";
import { BlockedDestinationError } from "../security/safe-http";
import { DEFAULT_API_HOSTS } from "./provider-labels";

export type TestedTarget = { provider: ProviderKind; model: string; baseUrl: string | null };

export const PRIVATE_ADDRESS_MESSAGE = "This address is private; ask your operator to allow it (OUTBOUND_ALLOWED_HOSTS)";

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: "nothing is listening there",
  ENOTFOUND: "no such host",
  EAI_AGAIN: "its name could not be looked up",
  ECONNRESET: "the connection was dropped",
  EHOSTUNREACH: "no route to it",
  ENETUNREACH: "no route to it",
  ETIMEDOUT: "it did not answer in time",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another name",
};

function hostOf(target: TestedTarget): string {
  if (!target.baseUrl) return DEFAULT_API_HOSTS[target.provider] ?? "the server";
  return URL.canParse(target.baseUrl) ? new URL(target.baseUrl).host : "the server";
}

/** The error and what caused it (SDKs wrap the socket's error as `cause`), outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 6; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

const field = <T>(chain: unknown[], key: string, type: "number" | "string"): T | undefined =>
  chain.map((e) => (typeof e === "object" && e ? (e as Record<string, unknown>)[key] : undefined)).find((v) => typeof v === type) as T | undefined;

function describeStatus(status: number, chain: unknown[], target: TestedTarget): string {
  if (status === 401 || status === 403) return `The server refused the API key (${status})`;
  if (status === 404) {
    // OpenAI says `model_not_found`, Anthropic "model: <name>"; any other 404 is a wrong path.
    const said = chain.map((e) => `${(e as Error).message ?? ""} ${field<string>([e], "code", "string") ?? ""}`).join(" ");
    return /model/i.test(said) ? `Model not found: the server has no model "${target.model}"` : "The server has no chat API at this base URL (404)";
  }
  if (status === 429) return "The server is limiting requests for this key (429); try again in a minute";
  if (status >= 500) return `The server had a problem answering (${status})`;
  return `The server refused the request (${status})`;
}

/**
 * A failed test call in plain words. Built from status codes and error codes only, never from the
 * provider's own text, which can quote the key it refused.
 */
export function describeConnectionFailure(error: unknown, target: TestedTarget, timeoutMs: number): string {
  const chain = causeChain(error);
  const blocked = chain.find((e): e is BlockedDestinationError => e instanceof BlockedDestinationError);
  if (blocked) return /not a valid URL|only http/.test(blocked.reason) ? `Our servers will not call this URL: ${blocked.reason}` : PRIVATE_ADDRESS_MESSAGE;
  const status = field<number>(chain, "status", "number");
  if (status !== undefined) return describeStatus(status, chain, target);
  const host = hostOf(target);
  const code = field<string>(chain, "code", "string");
  if (code && UNREACHABLE_CODES[code]) return `Could not reach ${host}: ${UNREACHABLE_CODES[code]}`;
  if (chain.some((e) => /timed? ?out/i.test(String((e as Error).message ?? "")) || (e as Error).name === "APIConnectionTimeoutError")) {
    return `Could not reach ${host}: no answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  return `Could not reach ${host}`;
}
