/** Retryable failures a reply may have before it is dead-lettered with the last reason. */
export const MAX_ATTEMPTS = 8;

const BASE_MS = 1_000;
const CAP_MS = 5 * 60_000;

/**
 * The wait before retry `attempt` (1 after the first failure): exponential from 1 s, factor 2, capped at
 * 5 minutes, with full jitter so workers that failed together do not retry together. A platform's own
 * Retry-After wins when it asks for longer.
 */
export function retryDelayMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.max(Math.floor(random() * ceiling), retryAfterMs ?? 0);
}
