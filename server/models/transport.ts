import path from "node:path";
import { testModeSettings } from "../env";
import { createSafeFetch } from "../security/safe-fetch";
import { createCassettePlayer } from "./cassettes/cassette-player";
import { createCassetteRecorder } from "./cassettes/cassette-recorder";

export { MissingCassetteError } from "./cassettes/missing-cassette-error";

/**
 * The fetch every model provider call goes through (SSRF-guarded). TEST_MODE=GOLDEN answers from
 * recorded cassettes instead of the network, TEST_MODE=RECORD records what the provider answered.
 */
export function createProviderFetch(opts: { allowedHosts: string[]; timeoutMs: number }): typeof fetch {
  const { TEST_MODE, CASSETTE_DIR, CASSETTE_SPEED } = testModeSettings();
  const dir = path.resolve(CASSETTE_DIR);
  if (TEST_MODE === "GOLDEN") return createCassettePlayer({ dir, speed: CASSETTE_SPEED, allowedHosts: opts.allowedHosts });
  if (TEST_MODE === "RECORD") return createCassetteRecorder(createSafeFetch(opts), dir);
  return createSafeFetch(opts);
}
