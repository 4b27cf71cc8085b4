import { CLIENT_ADDRESS_HEADER } from "./client-address.mjs";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

/**
 * The caller's address as the production server resolved it from the socket and TRUSTED_PROXIES
 * (scripts/next-worker.mjs). Null when the request did not come through that server (e.g. `next dev`):
 * callers then skip per-address limits rather than lump every client into one shared bucket.
 */
export function clientIp(source: Request | HeaderSource): string | null {
  const headers = source instanceof Request ? source.headers : source;
  if (!headers) return null;
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers[CLIENT_ADDRESS_HEADER];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || null;
}
