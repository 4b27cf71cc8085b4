import { z } from "zod";

/** One body chunk as it arrived, `delay_ms` after the previous one (the first: after the headers). Text when it is valid UTF-8. */
export const cassetteChunkSchema = z.union([z.object({ delay_ms: z.number().min(0), text: z.string() }), z.object({ delay_ms: z.number().min(0), base64: z.string() })]);

export const cassetteSchema = z.object({
  key: z.string(),
  request: z.object({ method: z.string(), path: z.string(), content_type: z.string().nullable(), model: z.string().nullable(), body: z.unknown() }),
  response: z.object({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    /** Time from sending the request to the response headers. */
    headers_after_ms: z.number().min(0),
    chunks: z.array(cassetteChunkSchema),
    /** "error" when the connection broke mid-body: the replay breaks there too. */
    ending: z.enum(["complete", "error"]),
  }),
  recorded_at: z.string(),
});
export type Cassette = z.infer<typeof cassetteSchema>;
export type CassetteChunk = z.infer<typeof cassetteChunkSchema>;

export function chunkBytes(chunk: CassetteChunk): Uint8Array {
  return "text" in chunk ? new TextEncoder().encode(chunk.text) : Uint8Array.from(Buffer.from(chunk.base64, "base64"));
}

export const cassetteFile = (dir: string, key: string) => `${dir.replace(/\/$/, "")}/${key}.json`;
