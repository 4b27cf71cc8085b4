/** The same list and cap as the server (server/pipeline/message-schema.ts; a unit test keeps them equal). */
export const ACCEPTED_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv"];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Why a chosen file is refused before any byte is sent, in the visitor's words; null when it may be uploaded. */
export function uploadProblem(file: { name: string; type: string; size: number }): string | null {
  if (!ACCEPTED_TYPES.includes(file.type)) return `${file.name} can't be sent: only images (PNG, JPEG, GIF, WebP), PDF, text and CSV files are accepted.`;
  if (file.size > MAX_UPLOAD_BYTES) return `${file.name} is too large: files can be up to 10 MB.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}
