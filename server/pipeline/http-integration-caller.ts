import type { IntegrationCaller } from "../flows/engine";
import { safeHttpRequest } from "../security/safe-http";

/** GET and DELETE carry the request mapping as query parameters. */
function withQuery(endpoint: string, body: unknown): string {
  if (!body || typeof body !== "object") return endpoint;
  const url = new URL(endpoint);
  for (const [k, v] of Object.entries(body)) if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, String(v));
  return url.toString();
}

/** Integration states call tenant-supplied endpoints only through the SSRF-guarded client. */
export function createHttpIntegrationCaller(opts: { allowedHosts: string[] }): IntegrationCaller {
  return {
    async call(req) {
      try {
        const method = req.method.toUpperCase();
        const hasBody = req.body !== undefined && method !== "GET" && method !== "DELETE";
        const res = await safeHttpRequest({
          url: hasBody ? req.endpoint : withQuery(req.endpoint, req.body),
          method,
          headers: { accept: "application/json", ...(hasBody ? { "content-type": "application/json" } : {}), ...req.headers },
          body: hasBody ? JSON.stringify(req.body) : undefined,
          timeoutMs: req.timeout_ms,
          allowedHosts: opts.allowedHosts,
          ...(req.signal && { signal: req.signal }),
        });
        if (res.status < 200 || res.status >= 300) return { ok: false, error: `HTTP ${res.status}` };
        let data: unknown = res.body;
        try {
          data = res.body ? JSON.parse(res.body) : null;
        } catch {
          // Non-JSON bodies are passed through as text.
        }
        return { ok: true, status: res.status, data };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
