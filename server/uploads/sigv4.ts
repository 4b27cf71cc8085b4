import { createHash, createHmac } from "node:crypto";

/** An AWS credential scope's parts and the secret that signs for it. */
export type SigV4Credentials = { accessKeyId: string; secretAccessKey: string; region: string; service: string };

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `20130524T000000Z` and `20130524`. */
export function amzDates(now: Date): { amzDate: string; day: string } {
  const amzDate = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  return { amzDate, day: amzDate.slice(0, 8) };
}

/**
 * The `Authorization` header of AWS Signature Version 4 for a request whose headers (names lowercase) already
 * include host, x-amz-date and x-amz-content-sha256. Every given header is signed.
 */
export function sigV4Authorization(req: { method: string; url: URL; headers: Record<string, string> }, creds: SigV4Credentials): string {
  const names = Object.keys(req.headers).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const signedHeaders = names.join(";");
  const query = [...req.url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  // S3 encodes each path segment once (other services encode twice; only S3 is spoken here).
  const path = req.url.pathname.split("/").map((segment) => encode(decodeURIComponent(segment))).join("/");
  const canonical = [req.method, path, query, ...names.map((n) => `${n}:${lower[n]!.trim().replace(/\s+/g, " ")}`), "", signedHeaders, lower["x-amz-content-sha256"]!].join("\n");
  const amzDate = lower["x-amz-date"]!;
  const scope = `${amzDate.slice(0, 8)}/${creds.region}/${creds.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonical)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, amzDate.slice(0, 8)), creds.region), creds.service), "aws4_request");
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
