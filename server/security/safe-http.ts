import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { pipeline, Transform, type Readable } from "node:stream";
import { checkDestination, isPublicAddress } from "./ssrf-guard";

export class BlockedDestinationError extends Error {
  /** `reason` names the host, never the whole URL: query strings can carry a tenant's credentials. */
  constructor(readonly reason: string) {
    super(`Outbound request not allowed: ${reason}`);
    this.name = "BlockedDestinationError";
  }
}

export type SafeRequest = { url: string; method: string; headers?: Record<string, string>; body?: string; timeoutMs: number; maxBytes?: number; allowedHosts?: string[]; signal?: AbortSignal };
export type SafeResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * Validates the address the socket actually connects to (not a separate pre-check),
 * so DNS rebinding cannot swap in an internal address between check and connect.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (bad && !allowPrivate) return callback(new BlockedDestinationError(`${hostname} resolves to ${bad.address}, which is not a public address`), "", 0);
      if (options.all) return callback(null, addresses as never);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export type SafeStreamResponse = { status: number; headers: http.IncomingHttpHeaders; body: Readable };

/**
 * Outbound HTTP to tenant-supplied URLs: http(s) only, no redirects, bounded time and size.
 * Resolves when the headers arrive; the body streams through as it comes (a model's tokens one by
 * one), still cut off past `maxBytes` or the deadline, which bounds the whole exchange.
 */
export function safeHttpStream(req: SafeRequest): Promise<SafeStreamResponse> {
  // Literal IPs skip the DNS lookup entirely, so they (and local names) are refused before connecting.
  const verdict = checkDestination(req.url, req.allowedHosts);
  if (!verdict.allowed) return Promise.reject(new BlockedDestinationError(verdict.reason));
  const { url, allowListed } = verdict;
  const maxBytes = req.maxBytes ?? 1_000_000;
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<SafeStreamResponse>((resolve, reject) => {
    const request = transport.request(
      url,
      // `timeout` bounds idle sockets; the timer below bounds the whole exchange.
      { method: req.method, headers: req.headers, lookup: guardedLookup(allowListed), timeout: req.timeoutMs, ...(req.signal && { signal: req.signal }) },
      (res) => {
        let size = 0;
        const body = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            if (size > maxBytes) return done(new Error(`Response larger than ${maxBytes} bytes`));
            done(null, chunk);
          },
        });
        // A socket dropped mid-body (or the deadline) fails the body, never ends it as if complete.
        pipeline(res, body, (error) => {
          clearTimeout(deadline);
          if (error) request.destroy(error);
        });
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      },
    );
    const timedOut = () => request.destroy(new Error(`Timed out after ${req.timeoutMs} ms`));
    const deadline = setTimeout(timedOut, req.timeoutMs);
    request.on("timeout", timedOut);
    request.on("error", reject);
    request.on("close", () => clearTimeout(deadline));
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}

/** safeHttpStream with the body read whole, for callers that want it as text. */
export async function safeHttpRequest(req: SafeRequest): Promise<SafeResponse> {
  const res = await safeHttpStream(req);
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return { status: res.status, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") };
}
