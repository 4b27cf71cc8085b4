import { getKv } from "../cache";
import { getDb } from "../db";
import { AppError } from "../errors/app-error";
import { MAX_ATTACHMENT_BYTES } from "../pipeline/message-schema";
import { attachmentUrl, saveUpload, uploadFilename, type UploadResult } from "../uploads/attachments";
import { readCappedBytes } from "../uploads/capped-bytes";
import { allowedType, checkContents } from "../uploads/upload-types";
import { uploadStorage } from "../uploads/upload-storage";
import { clientIp } from "./client-ip";
import { checkWidgetAddressLimit, enforce } from "./rate-limits";
import type { WidgetAnswer, WidgetContext } from "./widget-route";
import { requireVisitor } from "./widget-visitor";

/**
 * POST /api/widget/{key}/uploads: the raw file as the body, its type as Content-Type, its name as X-Filename.
 * The declared type is checked before a byte is read, the size while reading, the contents once read.
 */
export async function widgetUpload(ctx: WidgetContext): Promise<WidgetAnswer> {
  enforce(await checkWidgetAddressLimit(getKv(), clientIp(ctx.req)), "You are sending files too fast. Please wait a moment.");
  const visitor = requireVisitor(ctx);
  const type = allowedType(ctx.req.headers.get("content-type"));
  const bytes = await readCappedBytes(ctx.req, MAX_ATTACHMENT_BYTES);
  if (bytes.byteLength === 0) throw new AppError("VALIDATION_ERROR", "The file is empty.", { fields: { body: "The file is empty" } });
  checkContents(type, bytes);
  const row = await saveUpload(getDb(), uploadStorage(), { tenantId: ctx.tenantId, channelId: ctx.channelId, endUserId: visitor.endUserId, mimeType: type, filename: uploadFilename(ctx.req.headers.get("x-filename")), bytes });
  const data: UploadResult = { attachment_id: row.id, url: attachmentUrl(ctx.key, row.id), mime_type: row.mimeType, size_bytes: row.sizeBytes, filename: row.filename };
  return { data, status: 201 };
}
