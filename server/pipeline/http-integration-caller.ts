import type { IntegrationCaller } from "../flows/engine";
import { safeHttpRequest } from "../security/safe-http";

/** Integration states call tenant-supplied endpoints only through the SSRF-guarded client. */
export function createHttpIntegrationCaller(opts: { allowPrivate: boolean }): IntegrationCaller {
  return {
    async call(req) {
      try {
        const hasBody = req.body !== undefined && req.method.toUpperCase() !== "GET";
        const res = await safeHttpRequest({
          url: req.endpoint,
          method: req.method.toUpperCase(),
          headers: { accept: "application/json", ...(hasBody ? { "content-type": "application/json" } : {}), ...req.headers },
          body: hasBody ? JSON.stringify(req.body) : undefined,
          timeoutMs: req.timeout_ms,
          allowPrivate: opts.allowPrivate,
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
