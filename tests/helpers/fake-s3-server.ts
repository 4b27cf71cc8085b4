import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type S3Request = { method: string; key: string; signatureValid: boolean; contentType: string | undefined };

const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * An S3-compatible bucket on loopback (path-style: /{bucket}/{key}) that checks every request's AWS Signature
 * Version 4 as S3 does: it rebuilds the canonical request from what arrived, signs it with the secret it
 * knows, and answers 403 SignatureDoesNotMatch (S3's XML error) unless the signatures and the payload hash agree.
 * Written from the AWS documentation independently of server/uploads/sigv4.ts, so a shared mistake cannot pass.
 */
export async function startFakeS3(opts: { accessKeyId: string; secretAccessKey: string; bucket: string; region: string }) {
  const objects = new Map<string, { body: Buffer; contentType: string | undefined }>();
  const requests: S3Request[] = [];

  function signatureOk(req: IncomingMessage, url: URL, body: Buffer): boolean {
    const auth = req.headers.authorization ?? "";
    const m = auth.match(/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/);
    if (!m || m[1] !== opts.accessKeyId || m[3] !== opts.region) return false;
    const [, , day, region, signedHeaders, signature] = m;
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
    if (!amzDate.startsWith(day!) || payloadHash !== sha256Hex(body)) return false;
    const names = signedHeaders!.split(";");
    if (!names.includes("host") || !names.includes("x-amz-date") || !names.includes("x-amz-content-sha256")) return false;
    const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
    const path = url.pathname.split("/").map((s) => rfc3986(decodeURIComponent(s))).join("/");
    const query = [...url.searchParams].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join("&");
    const canonicalRequest = `${req.method}\n${path}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const scope = `${day}/${region}/s3/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${opts.secretAccessKey}`, day!), region!), "s3"), "aws4_request");
    return createHmac("sha256", signingKey).update(stringToSign).digest("hex") === signature;
  }

  const xmlError = (res: ServerResponse, status: number, code: string) => {
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const [, bucket, ...rest] = url.pathname.split("/");
    const key = rest.map(decodeURIComponent).join("/");
    const signatureValid = signatureOk(req, url, body);
    requests.push({ method: req.method ?? "", key, signatureValid, contentType: req.headers["content-type"] });
    if (!signatureValid) return xmlError(res, 403, "SignatureDoesNotMatch");
    if (bucket !== opts.bucket) return xmlError(res, 404, "NoSuchBucket");
    if (req.method === "PUT") {
      objects.set(key, { body, contentType: req.headers["content-type"] });
      res.writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"` });
      return res.end();
    }
    if (req.method === "GET") {
      const object = objects.get(key);
      if (!object) return xmlError(res, 404, "NoSuchKey");
      res.writeHead(200, { "content-type": object.contentType ?? "application/octet-stream", "content-length": String(object.body.byteLength) });
      return res.end(object.body);
    }
    xmlError(res, 405, "MethodNotAllowed");
  }

  const server = createServer((req, res) => void handle(req, res).catch(() => xmlError(res, 500, "InternalError")));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** UPLOADS_S3_URL for this bucket, signed with `secret` (default: the right one). */
    url: (secret = opts.secretAccessKey) => `http://${encodeURIComponent(opts.accessKeyId)}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${opts.bucket}?region=${opts.region}`,
    objects,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
