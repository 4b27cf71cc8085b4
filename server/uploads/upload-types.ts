import { AppError } from "../errors/app-error";
import { ALLOWED_ATTACHMENT_TYPES } from "../pipeline/message-schema";

export type AttachmentType = (typeof ALLOWED_ATTACHMENT_TYPES)[number];

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => new TextEncoder().encode(text);

/** How each binary type's files begin; text types have no signature (they are served with nosniff, sandboxed). */
const SIGNATURES: Partial<Record<AttachmentType, { offset: number; magic: Uint8Array }[][]>> = {
  "image/png": [[{ offset: 0, magic: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) }]],
  "image/jpeg": [[{ offset: 0, magic: bytes(0xff, 0xd8, 0xff) }]],
  "image/gif": [[{ offset: 0, magic: ascii("GIF87a") }], [{ offset: 0, magic: ascii("GIF89a") }]],
  "image/webp": [[{ offset: 0, magic: ascii("RIFF") }, { offset: 8, magic: ascii("WEBP") }]],
  "application/pdf": [[{ offset: 0, magic: ascii("%PDF-") }]],
};

/** Bytes enough to recognise every signature above. */
export const SNIFF_BYTES = 16;

const matches = (head: Uint8Array, { offset, magic }: { offset: number; magic: Uint8Array }) => magic.every((b, i) => head[offset + i] === b);

/** The declared Content-Type without parameters, if it is one the widget may upload; else a 400 naming it. */
export function allowedType(contentType: string | null): AttachmentType {
  const essence = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if ((ALLOWED_ATTACHMENT_TYPES as readonly string[]).includes(essence)) return essence as AttachmentType;
  throw new AppError("VALIDATION_ERROR", `Files of type ${essence || "(none)"} cannot be uploaded. Allowed: ${ALLOWED_ATTACHMENT_TYPES.join(", ")}.`, { fields: { content_type: `${essence || "(none)"} is not allowed` } });
}

/** A file whose bytes are not what it claims (an HTML page sent as image/png) is refused, naming the claimed type. */
export function checkContents(type: AttachmentType, head: Uint8Array): void {
  const signatures = SIGNATURES[type];
  if (!signatures || signatures.some((all) => all.every((s) => matches(head, s)))) return;
  throw new AppError("VALIDATION_ERROR", `The file's contents are not ${type}.`, { fields: { content_type: `The contents do not match ${type}` } });
}

export const isImageType = (type: AttachmentType): type is Extract<AttachmentType, `image/${string}`> => type.startsWith("image/");
