import { Readable } from "node:stream";
import { safeHttpStream } from "./safe-http";

// Responses that have no body by definition; `new Response` refuses one for them.
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * A fetch for SDK clients pointed at tenant-supplied URLs: same SSRF guard, time and size
 * bounds as integration calls. The body streams through, so a streamed answer arrives token by token.
 */
export function createSafeFetch(opts: { allowedHosts: string[]; timeoutMs: number; maxBytes?: number }): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const body = request.body ? await request.text() : undefined;
    const res = await safeHttpStream({ url: request.url, method: request.method, headers, body, timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes ?? 2_000_000, allowedHosts: opts.allowedHosts, signal: request.signal });
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(", ") : v);
    if (NULL_BODY_STATUSES.has(res.status)) {
      res.body.resume();
      return new Response(null, { status: res.status, headers: responseHeaders });
    }
    return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status: res.status, headers: responseHeaders });
  };
}
