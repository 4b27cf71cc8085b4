import { AppError } from "../errors/app-error";

const tooLarge = (maxBytes: number) => new AppError("PAYLOAD_TOO_LARGE", `The file is larger than ${maxBytes / 1024 / 1024} MB.`, { max_bytes: maxBytes });

/**
 * The raw body, refused with 413 once it passes `maxBytes`: at once on a declared Content-Length, else while
 * streaming (the stream is cancelled, so no more than one chunk past the cap is ever held).
 */
export async function readCappedBytes(req: Request, maxBytes: number): Promise<Buffer> {
  const body = req.body;
  if (!body) return Buffer.alloc(0);
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) {
    body.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
