import { amzDates, sha256Hex, sigV4Authorization, type SigV4Credentials } from "./sigv4";
import type { UploadStorage } from "./upload-storage";

/** `http(s)://KEY:SECRET@host[:port]/BUCKET?region=REGION`: path-style addressing, as MinIO and most S3-compatible stores take. */
export function parseS3Url(value: string): { endpoint: string; bucket: string; creds: SigV4Credentials } {
  const url = new URL(value);
  const bucket = url.pathname.replace(/^\/+|\/+$/g, "");
  if (!bucket || !url.username || !url.password) throw new Error("UPLOADS_S3_URL must look like https://KEY:SECRET@host/bucket?region=us-east-1");
  return {
    endpoint: `${url.protocol}//${url.host}`,
    bucket,
    creds: { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password), region: url.searchParams.get("region") ?? "us-east-1", service: "s3" },
  };
}

/**
 * An S3-compatible bucket, signed with SigV4. The URL is the operator's (an environment setting, never a
 * tenant's), so these calls do not go through the SSRF guard that tenant-supplied URLs do.
 */
export function s3Storage(s3Url: string): UploadStorage {
  const { endpoint, bucket, creds } = parseS3Url(s3Url);
  const send = async (method: "PUT" | "GET", key: string, body?: Buffer, contentType?: string) => {
    const url = new URL(`${endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`);
    const { amzDate } = amzDates(new Date());
    const headers: Record<string, string> = {
      host: url.host,
      "x-amz-date": amzDate,
      "x-amz-content-sha256": sha256Hex(body ?? ""),
      ...(contentType && { "content-type": contentType }),
    };
    const authorization = sigV4Authorization({ method, url, headers }, creds);
    const { host: _host, ...sent } = headers;
    return fetch(url, { method, headers: { ...sent, authorization }, ...(body && { body: new Uint8Array(body) }), signal: AbortSignal.timeout(30_000) });
  };
  return {
    kind: "s3",
    async put(key, bytes, contentType) {
      const res = await send("PUT", key, bytes, contentType);
      if (!res.ok) throw new Error(`S3 PUT ${key} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      await res.body?.cancel();
    },
    async get(key) {
      const res = await send("GET", key);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw new Error(`S3 GET ${key} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return Buffer.from(await res.arrayBuffer());
    },
  };
}
