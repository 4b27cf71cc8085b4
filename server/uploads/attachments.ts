import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { attachments } from "@/db/schema";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import type { MessageContent } from "../pipeline/message-schema";
import { sha256Hex } from "./sigv4";
import { isImageType, type AttachmentType } from "./upload-types";
import type { UploadStorage } from "./upload-storage";

export type Attachment = typeof attachments.$inferSelect;

/** The `data` of POST /api/widget/{key}/uploads. */
export const uploadResultSchema = z.object({ attachment_id: z.uuid(), url: z.url(), mime_type: z.string(), size_bytes: z.number().int(), filename: z.string() });
export type UploadResult = z.infer<typeof uploadResultSchema>;

/**
 * Where the file is served (GET /api/widget/{key}/uploads/{id}), absolute so the dashboard and the widget
 * on the tenant's site can both show it. The id is a random uuid and the URL a capability, as attachment
 * links are in other chat products: an <img> cannot send the visitor token, and agents open it from the inbox.
 */
export const attachmentUrl = (widgetKey: string, id: string) => `${env().APP_URL.replace(/\/+$/, "")}/api/widget/${encodeURIComponent(widgetKey)}/uploads/${id}`;

/** The file name a visitor's browser sent (X-Filename, URI-encoded), reduced to a plain name that is safe to store and show. */
export function uploadFilename(header: string | null): string {
  let name = header ?? "";
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not URI-encoded: taken as it came.
  }
  const base = name.split(/[/\\]/).at(-1) ?? "";
  // Control characters, NUL and unpaired surrogates cannot be stored or shown; they are dropped.
  const clean = base.replace(/[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "").trim().slice(0, 255);
  return clean || "upload";
}

export type NewUpload = { tenantId: string; channelId: string; endUserId: string; mimeType: AttachmentType; filename: string; bytes: Buffer };

/** Stores the bytes first, then the row: a failed write leaves at most an unreferenced file, never a row without one. */
export async function saveUpload(db: Db, storage: UploadStorage, upload: NewUpload): Promise<Attachment> {
  const id = randomUUID();
  const storageKey = `${upload.tenantId}/${id}`;
  await storage.put(storageKey, upload.bytes, upload.mimeType);
  const [row] = await db
    .insert(attachments)
    .values({ id, tenantId: upload.tenantId, channelId: upload.channelId, endUserId: upload.endUserId, storage: storage.kind, storageKey, mimeType: upload.mimeType, sizeBytes: upload.bytes.byteLength, filename: upload.filename, sha256: sha256Hex(upload.bytes) })
    .returning();
  return row!;
}

/** An upload of this widget; with `endUserId`, only that visitor's own. Anything else is a 404 like a missing id. */
export async function findAttachment(db: Db, where: { tenantId: string; channelId: string; id: string; endUserId?: string }): Promise<Attachment> {
  const [row] = z.uuid().safeParse(where.id).success
    ? await db
        .select()
        .from(attachments)
        .where(and(eq(attachments.id, where.id), eq(attachments.tenantId, where.tenantId), eq(attachments.channelId, where.channelId), where.endUserId === undefined ? undefined : eq(attachments.endUserId, where.endUserId)))
        .limit(1)
    : [];
  if (!row) throw new AppError("NOT_FOUND", "Attachment not found.", { field: "attachment_id" });
  return row;
}

/** The message content a sent attachment becomes: an image the transcript shows, or a file it links to. */
export function attachmentContent(row: Attachment, url: string, caption: string | undefined): MessageContent {
  const common = { url, size_bytes: row.sizeBytes, filename: row.filename, ...(caption !== undefined && { caption }) };
  const type = row.mimeType as AttachmentType;
  return isImageType(type) ? { type: "image", mime_type: type, ...common } : { type: "file", mime_type: type, ...common };
}
