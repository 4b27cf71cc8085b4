import { safeHttpRequest } from "./safe-http";

/**
 * A fetch for SDK clients pointed at tenant-supplied URLs: same SSRF guard, time and size
 * bounds as integration calls. Responses are buffered, which suits non-streaming requests.
 */
export function createSafeFetch(opts: { allowedHosts: string[]; timeoutMs: number; maxBytes?: number }): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const body = request.body ? await request.text() : undefined;
    const res = await safeHttpRequest({ url: request.url, method: request.method, headers, body, timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes ?? 2_000_000, allowedHosts: opts.allowedHosts, signal: request.signal });
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(", ") : v);
    return new Response(res.body, { status: res.status, headers: responseHeaders });
  };
}
