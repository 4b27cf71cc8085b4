import { mkdirSync, writeFileSync } from "node:fs";
import { cassetteFile, type Cassette, type CassetteChunk } from "./cassette-schema";
import { readProviderRequest, requestModel } from "./request-key";
import { scrubText, SECRET_HEADERS } from "./scrub";

/** Headers that describe the connection rather than the answer (the replayed body is already decoded). */
const NOT_REPLAYED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", ...SECRET_HEADERS]);
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function toChunk(bytes: Uint8Array, delayMs: number, secrets: readonly string[]): CassetteChunk {
  const delay_ms = Math.round(delayMs);
  try {
    return { delay_ms, text: scrubText(strictUtf8.decode(bytes), secrets) };
  } catch {
    return { delay_ms, base64: Buffer.from(bytes).toString("base64") };
  }
}

/**
 * Passes each request through to `inner` and writes what came back as a cassette (scrubbed of the
 * request's credentials and anything key-like) once the body has been read to its end.
 */
export function createCassetteRecorder(inner: typeof fetch, dir: string): typeof fetch {
  return async (input, init) => {
    const { request, body, secrets, normalised, key } = await readProviderRequest(input, init);
    const started = performance.now();
    const res = await inner(request.url, { method: request.method, headers: request.headers, body: body || undefined, signal: request.signal });
    const headersAfter = performance.now() - started;
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!NOT_REPLAYED.has(name)) headers[name] = scrubText(value, secrets);
    });
    const chunks: CassetteChunk[] = [];
    const save = (ending: Cassette["response"]["ending"]) => {
      const cassette: Cassette = {
        key,
        request: { ...normalised, model: requestModel(normalised) },
        response: { status: res.status, headers, headers_after_ms: Math.round(headersAfter), chunks, ending },
        recorded_at: new Date().toISOString(),
      };
      mkdirSync(dir, { recursive: true });
      writeFileSync(cassetteFile(dir, key), `${JSON.stringify(cassette, null, 2)}\n`);
    };
    if (!res.body) {
      save("complete");
      return res;
    }
    const reader = res.body.getReader();
    let last = performance.now();
    const recorded = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            save("complete");
            controller.close();
            return;
          }
          const now = performance.now();
          chunks.push(toChunk(value, now - last, secrets));
          last = now;
          controller.enqueue(value);
        } catch (e) {
          save("error");
          controller.error(e);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(recorded, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
