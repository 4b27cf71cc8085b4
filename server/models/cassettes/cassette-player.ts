import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { BlockedDestinationError } from "../../security/safe-http";
import { checkDestination } from "../../security/ssrf-guard";
import { cassetteFile, cassetteSchema, chunkBytes } from "./cassette-schema";
import { MissingCassetteError } from "./missing-cassette-error";
import { readProviderRequest } from "./request-key";

export type PlayerOptions = {
  dir: string;
  /** Playback speed: 1 keeps the recorded timing, 2 halves every delay, 0 drops them. */
  speed: number;
  /** Checked as the real fetch would, so a replay refuses what production refuses. */
  allowedHosts: string[];
};

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function wait(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return ms > 0 ? sleep(ms, undefined, { signal }) : Promise.resolve();
}

/** A fetch that answers from recorded cassettes, byte for byte and at the recorded pace, never from the network. */
export function createCassettePlayer(opts: PlayerOptions): typeof fetch {
  const scaled = (ms: number) => (opts.speed === 0 ? 0 : ms / opts.speed);
  return async (input, init) => {
    const { request, normalised, key } = await readProviderRequest(input, init);
    const verdict = checkDestination(request.url, opts.allowedHosts);
    if (!verdict.allowed) throw new BlockedDestinationError(verdict.reason);
    const file = cassetteFile(opts.dir, key);
    if (!existsSync(file)) throw new MissingCassetteError(key, normalised, file);
    const { response } = cassetteSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    const signal = request.signal;
    await wait(scaled(response.headers_after_ms), signal);
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = response.chunks[next++];
        if (!chunk) {
          // As undici words a connection that broke mid-body.
          if (response.ending === "error") controller.error(new TypeError("terminated"));
          else controller.close();
          return;
        }
        await wait(scaled(chunk.delay_ms), signal);
        controller.enqueue(chunkBytes(chunk));
      },
    });
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, { status: response.status, headers: response.headers });
  };
}
