import { AppError } from "../errors/app-error";
import { readCappedChunks } from "../http/json-body";

const tooLarge = (maxBytes: number) => new AppError("PAYLOAD_TOO_LARGE", `The file is larger than ${maxBytes / 1024 / 1024} MB.`, { max_bytes: maxBytes });

/** The raw upload, refused with 413 once it passes `maxBytes` (see readCappedChunks). */
export async function readCappedBytes(req: Request, maxBytes: number): Promise<Buffer> {
  const { chunks, size } = await readCappedChunks(req, maxBytes, tooLarge);
  return Buffer.concat(chunks, size);
}
