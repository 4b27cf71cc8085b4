import type { Kv, WindowResult } from "../cache";
import { checkEndUserLimit } from "../http/rate-limits";

const WINDOW_MS = 60_000;
/** Bounds the memory a flood of distinct end-user ids can take; a forgotten one is only checked alongside its turn once more. */
const MAX_REMEMBERED = 50_000;

export type EndUserCheck = {
  /** The per-end-user limit's verdict (null: the limiter is unreachable, failing open). */
  verdict: Promise<WindowResult | null>;
  /**
   * True for an end user this process has not seen in the last window: most of a messaging channel's and
   * a new widget visitor's traffic. Their check may run alongside the turn's opening round trip instead of
   * before it (one round trip fewer to wait for on a first message); someone sending fast has been seen, so
   * their messages are still refused before they reach the database.
   */
  alongside: boolean;
};

/** Remembers which end users this process saw in the last window, to decide when the limit may be checked alongside the turn. */
export function createEndUserAdmission(now: () => number = Date.now) {
  const lastSeen = new Map<string, number>();
  return function check(kv: Kv, tenantId: string, userId: string): EndUserCheck {
    const key = `${tenantId}:${userId}`;
    const at = now();
    const last = lastSeen.get(key);
    // Re-inserted so the map's order is least recently seen first, which is what gets forgotten.
    lastSeen.delete(key);
    if (lastSeen.size >= MAX_REMEMBERED) lastSeen.delete(lastSeen.keys().next().value!);
    lastSeen.set(key, at);
    return { verdict: checkEndUserLimit(kv, tenantId, userId), alongside: last === undefined || at - last >= WINDOW_MS };
  };
}
