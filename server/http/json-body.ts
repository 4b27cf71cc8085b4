import { AppError } from "../errors/app-error";

/** Chat and widget bodies; a message is at most a few KB, so this is generous and still bounded. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;
/** Elements of one array or keys of one object. */
export const MAX_JSON_ITEMS = 1000;

const utf8 = new TextDecoder();

function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${maxBytes / 1024} KB.`, { max_bytes: maxBytes });
}

/**
 * The body's chunks, refused with `tooLargeError` once it passes `maxBytes`: at once on a declared
 * Content-Length, else while streaming (the stream is cancelled, so the rest is never pulled).
 */
export async function readCappedChunks(req: Request, maxBytes: number, tooLargeError: (maxBytes: number) => AppError = tooLarge): Promise<{ chunks: Uint8Array[]; size: number }> {
  const body = req.body;
  if (!body) return { chunks: [], size: 0 };
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) {
    body.cancel().catch(() => {});
    throw tooLargeError(maxBytes);
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
      throw tooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return { chunks, size };
}

/**
 * The body as text, capped as readCappedChunks does. Decoded as `req.text()` would, without an extra copy:
 * a single chunk is decoded in place, several are joined once.
 */
export async function readCappedText(req: Request, maxBytes: number): Promise<string> {
  const { chunks, size } = await readCappedChunks(req, maxBytes);
  if (chunks.length === 0) return "";
  return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
}

const shapeError = (problem: string) => new AppError("VALIDATION_ERROR", `The request body's JSON is too complex: ${problem}.`, { fields: { body: problem } });

export type JsonShapeLimits = { maxDepth: number; maxItems: number };

/**
 * Refuses JSON nested deeper than MAX_JSON_DEPTH or with a container over MAX_JSON_ITEMS: recursive code
 * further on (validation, serialization) would overflow the stack or spend its time on them. Iterative.
 */
export function checkJsonShape(value: unknown, { maxDepth, maxItems }: JsonShapeLimits = { maxDepth: MAX_JSON_DEPTH, maxItems: MAX_JSON_ITEMS }): void {
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > maxDepth) throw shapeError(`nested deeper than ${maxDepth} levels`);
    const children = Array.isArray(node) ? node : Object.values(node);
    if (children.length > maxItems) throw shapeError(`more than ${maxItems} items in one array or object`);
    for (const child of children) if (child !== null && typeof child === "object") pending.push({ node: child, depth: depth + 1 });
  }
}
