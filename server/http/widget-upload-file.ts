import { resolveWidget } from "../channels/web-widget";
import { getDb } from "../db";
import { AppError } from "../errors/app-error";
import { findAttachment } from "../uploads/attachments";
import { isImageType, type AttachmentType } from "../uploads/upload-types";
import { storageFor } from "../uploads/upload-storage";
import { enveloped } from "./respond";

type Params = { params: Promise<{ key: string; id: string }> };

/** `attachment; filename=…` with an ASCII fallback and the UTF-8 name (RFC 6266), never breaking out of the quotes. */
const attachmentDisposition = (filename: string) => `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/**
 * GET /api/widget/{key}/uploads/{id}: the stored bytes. No origin check and no visitor token: the URL is a
 * capability (a random uuid, see attachmentUrl) shown by <img> on the tenant's site and in the dashboard.
 * What a visitor uploaded can never run as a page of ours: nosniff keeps the stored type, and the CSP
 * sandbox (the framing rule for these answers; the widget itself is a shadow root, not a frame) stops
 * scripts even when the file is opened directly.
 */
export async function widgetUploadFile(req: Request, { params }: Params): Promise<Response> {
  let file: Response | undefined;
  const refused = await enveloped(req, "widget", async () => {
    const { key, id } = await params;
    const widget = await resolveWidget(getDb(), key);
    const row = await findAttachment(getDb(), { tenantId: widget.tenantId, channelId: widget.channelId, id });
    const bytes = await storageFor(row.storage).get(row.storageKey);
    if (!bytes) throw new AppError("NOT_FOUND", "Attachment not found.", { field: "attachment_id" });
    file = new Response(new Uint8Array(bytes), {
      headers: {
        "Content-Type": row.mimeType,
        "Content-Length": String(bytes.byteLength),
        "Content-Disposition": isImageType(row.mimeType as AttachmentType) ? "inline" : attachmentDisposition(row.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cross-Origin-Resource-Policy": "cross-origin",
        // The bytes behind an id never change.
        "Cache-Control": "private, max-age=86400, immutable",
      },
    });
    return { data: null };
  });
  return file ?? refused;
}
