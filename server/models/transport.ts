import { createSafeFetch } from "../security/safe-fetch";

/** The fetch every model provider call goes through (SSRF-guarded). */
export function createProviderFetch(opts: { allowedHosts: string[]; timeoutMs: number }): typeof fetch {
  return createSafeFetch(opts);
}
