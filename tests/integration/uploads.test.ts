import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { attachments } from "@/db/schema";
import { installKv } from "@/server/cache";
import { widgetHistorySchema } from "@/server/channels/visitor-history";
import { installDbHandle } from "@/server/db";
import { resetEnvForTests } from "@/server/env";
import { errorEnvelopeSchema, successEnvelopeSchema } from "@/server/http/envelope";
import { MAX_ATTACHMENT_BYTES } from "@/server/pipeline/message-schema";
import { uploadResultSchema } from "@/server/uploads/attachments";
import { startFakeS3 } from "../helpers/fake-s3-server";
import { solidPng } from "../helpers/png";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { getHistory, getUpload, openWidgetSite, postUpload, postWidget, SITE, visitorToken } from "../security/support/widget-site";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let site: Awaited<ReturnType<typeof openWidgetSite>>;
let dir: string;
const PNG = solidPng(4, [200, 30, 30]);
const CHUNK = 64 * 1024;

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  resetEnvForTests();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "widget-uploads-"));
  setEnv({ UPLOADS_DIR: dir, UPLOADS_S3_URL: undefined });
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  site = await openWidgetSite(handle.db, "upload-shop");
});
afterAll(async () => {
  setEnv({ UPLOADS_DIR: undefined, UPLOADS_S3_URL: undefined });
  await kv.close();
  await handle.dispose();
  await rm(dir, { recursive: true, force: true });
});

const as = async (visitorId: string) => ({ token: await visitorToken(site.key, { visitorId }) });
const uploaded = async (res: Response) => {
  expect(res.status).toBe(201);
  expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
  return successEnvelopeSchema(uploadResultSchema).parse(await res.json()).data;
};
const errorOf = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  return errorEnvelopeSchema.parse(await res.json()).error;
};
const storedRows = () => handle.db.select().from(attachments).where(eq(attachments.tenantId, site.tenantId));
const filesOnDisk = async () => (await readdir(path.join(dir, site.tenantId)).catch(() => [] as string[])).sort();
const historyOf = async (visitorId: string) => successEnvelopeSchema(widgetHistorySchema).parse(await (await getHistory(site.key, {}, await as(visitorId))).json()).data;

/** A body produced only as it is read, so the test sees how much of it the route pulled. */
function meteredBody(totalBytes: number) {
  const meter = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (meter.pulled >= totalBytes) return controller.close();
        const chunk = new Uint8Array(Math.min(CHUNK, totalBytes - meter.pulled));
        if (meter.pulled === 0) chunk.set(PNG.subarray(0, 8));
        meter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        meter.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, meter };
}

describe("widget uploads on local disk", () => {
  it("stores a real PNG under the uploads directory and serves it back byte-identical, inline and sandboxed", async () => {
    const data = await uploaded(await postUpload(site.key, { bytes: PNG, type: "image/png", name: "../../receipt photo.png" }, await as("visitor-up-01")));
    expect(data).toMatchObject({ mime_type: "image/png", size_bytes: PNG.byteLength, filename: "receipt photo.png" });
    expect(data.url).toBe(`http://localhost:3000/api/widget/${site.key}/uploads/${data.attachment_id}`);
    expect(await readFile(path.join(dir, site.tenantId, data.attachment_id))).toEqual(PNG);

    const served = await getUpload(data.url);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(["content-type", "x-content-type-options", "content-security-policy", "cross-origin-resource-policy", "content-disposition"].map((h) => [h, served.headers.get(h)]))).toEqual({
      "content-type": "image/png",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cross-origin-resource-policy": "cross-origin",
      "content-disposition": "inline",
    });
    // An id that is nobody's, and this id through another tenant's widget, are both just not found.
    const other = await openWidgetSite(handle.db, "other-upload-shop");
    for (const url of [data.url.replace(data.attachment_id, "00000000-0000-4000-8000-000000000000"), data.url.replace(site.key, other.key)]) {
      expect(await errorOf(await getUpload(url), 404)).toEqual({ code: "NOT_FOUND", message: "Attachment not found.", details: { field: "attachment_id" } });
    }
  });

  it("refuses a body over 10 MB with 413 once it passes the cap (or at once on Content-Length), storing nothing", async () => {
    const before = { rows: (await storedRows()).length, files: await filesOnDisk() };
    const streamed = meteredBody(MAX_ATTACHMENT_BYTES + 1);
    const error = await errorOf(await postUpload(site.key, { bytes: streamed.stream, type: "image/png", name: "big.png" }, { ...(await as("visitor-up-02")), init: { duplex: "half" } as RequestInit }), 413);
    expect(error).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The file is larger than 10 MB.", details: { max_bytes: MAX_ATTACHMENT_BYTES } });
    expect(streamed.meter.cancelled).toBe(true);
    expect(streamed.meter.pulled).toBeLessThanOrEqual(MAX_ATTACHMENT_BYTES + CHUNK);

    const declared = meteredBody(MAX_ATTACHMENT_BYTES + 1);
    const headers = { "content-length": String(MAX_ATTACHMENT_BYTES + 1) };
    expect((await errorOf(await postUpload(site.key, { bytes: declared.stream, type: "image/png", name: "big.png" }, { ...(await as("visitor-up-02")), headers, init: { duplex: "half" } as RequestInit }), 413)).code).toBe("PAYLOAD_TOO_LARGE");
    expect(declared.meter.pulled).toBe(0);
    expect({ rows: (await storedRows()).length, files: await filesOnDisk() }).toEqual(before);
  });

  it("refuses HTML, whether declared as text/html or disguised as a PNG, naming the type", async () => {
    const before = (await storedRows()).length;
    const page = Buffer.from("<html><script>alert(1)</script></html>");
    const html = await errorOf(await postUpload(site.key, { bytes: page, type: "text/html", name: "page.html" }, await as("visitor-up-03")), 400);
    expect(html.message).toBe("Files of type text/html cannot be uploaded. Allowed: image/png, image/jpeg, image/gif, image/webp, application/pdf, text/plain, text/csv.");
    const disguised = await errorOf(await postUpload(site.key, { bytes: page, type: "image/png", name: "cat.png" }, await as("visitor-up-03")), 400);
    expect(disguised.message).toBe("The file's contents are not image/png.");
    expect((await storedRows()).length).toBe(before);
  });

  it("sends the visitor's own upload as an image message shown in their history; another visitor's upload is not found", async () => {
    const mine = await uploaded(await postUpload(site.key, { bytes: PNG, type: "image/png", name: "tent.png" }, await as("visitor-up-04")));
    const stolen = await errorOf(await postWidget(site.key, { attachment_id: mine.attachment_id, text: "look" }, await as("visitor-up-05")), 404);
    expect(stolen).toEqual({ code: "NOT_FOUND", message: "Attachment not found.", details: { field: "attachment_id" } });
    expect(await historyOf("visitor-up-05")).toMatchObject({ conversation_id: null, messages: [] });

    expect((await postWidget(site.key, { attachment_id: mine.attachment_id, text: "Is this tent in stock?" }, await as("visitor-up-04"))).status).toBe(200);
    const pdf = Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const invoice = await uploaded(await postUpload(site.key, { bytes: pdf, type: "application/pdf", name: "Rechnung März.pdf" }, await as("visitor-up-04")));
    expect((await postWidget(site.key, { attachment_id: invoice.attachment_id }, await as("visitor-up-04"))).status).toBe(200);

    const visitorSaid = (await historyOf("visitor-up-04")).messages.filter((m) => m.author === "visitor").map((m) => m.content);
    expect(visitorSaid).toEqual([
      { type: "image", url: mine.url, mime_type: "image/png", size_bytes: PNG.byteLength, filename: mine.filename, caption: "Is this tent in stock?" },
      { type: "file", url: invoice.url, mime_type: "application/pdf", size_bytes: pdf.byteLength, filename: "Rechnung März.pdf" },
    ]);
    const file = await getUpload(invoice.url);
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf);
  });
});

describe("widget uploads in an S3-compatible bucket", () => {
  it("PUTs and GETs the file with SigV4 signatures the bucket verifies, and the sent image shows in history", async () => {
    const s3 = await startFakeS3({ accessKeyId: "AKIDUPLOADTEST", secretAccessKey: "s3cr3t/with+chars=", bucket: "widget-uploads", region: "eu-west-1" });
    try {
      // With the wrong secret the bucket refuses the PUT: the upload fails (logged with its request id) and nothing is recorded.
      setEnv({ UPLOADS_S3_URL: s3.url("not-the-secret") });
      const rowsBefore = (await storedRows()).length;
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      expect((await errorOf(await postUpload(site.key, { bytes: PNG, type: "image/png", name: "a.png" }, await as("visitor-s3-01")), 500)).code).toBe("INTERNAL_ERROR");
      expect(String(logged.mock.calls[0]?.[1])).toContain("SignatureDoesNotMatch");
      logged.mockRestore();
      expect(s3.requests).toEqual([{ method: "PUT", key: expect.stringMatching(`^${site.tenantId}/`), signatureValid: false, contentType: "image/png" }]);
      expect((await storedRows()).length).toBe(rowsBefore);

      setEnv({ UPLOADS_S3_URL: s3.url() });
      const data = await uploaded(await postUpload(site.key, { bytes: PNG, type: "image/png", name: "bucket.png" }, await as("visitor-s3-01")));
      expect(s3.objects.get(`${site.tenantId}/${data.attachment_id}`)).toEqual({ body: PNG, contentType: "image/png" });
      const [row] = (await storedRows()).filter((r) => r.id === data.attachment_id);
      expect(row).toMatchObject({ storage: "s3", storageKey: `${site.tenantId}/${data.attachment_id}`, sizeBytes: PNG.byteLength });
      await expect(readFile(path.join(dir, site.tenantId, data.attachment_id))).rejects.toThrow(/ENOENT/);

      const served = await getUpload(data.url);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
      expect(s3.requests.slice(1).map((r) => [r.method, r.signatureValid])).toEqual([
        ["PUT", true],
        ["GET", true],
      ]);

      expect((await postWidget(site.key, { attachment_id: data.attachment_id }, await as("visitor-s3-01"))).status).toBe(200);
      const [first] = (await historyOf("visitor-s3-01")).messages;
      expect(first).toMatchObject({ author: "visitor", content: { type: "image", url: data.url, mime_type: "image/png" } });
    } finally {
      setEnv({ UPLOADS_S3_URL: undefined });
      await s3.close();
    }
  });
});
