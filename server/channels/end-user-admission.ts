import type { Hit, Kv, WindowResult } from "../cache";
import { checkEndUserLimit, endUserHit } from "../http/rate-limits";

const WINDOW_MS = 60_000;
/** Bounds the memory a flood of distinct end-user ids can take; a forgotten one is only checked alongside its turn once more. */
const MAX_REMEMBERED = 50_000;
/** How long a first message's hit may wait to be recorded with others (see `counted`). */
const RECORD_EVERY_MS = 10;
const RECORD_AT_MOST = 100;

export type EndUserCheck = {
  /** The per-end-user limit's verdict (null: the limiter is unreachable, failing open), asked of the limiter on the first call only. */
  verdict: () => Promise<WindowResult | null>;
  /**
   * True for an end user this process has not seen in the last window: most of a messaging channel's and
   * a new widget visitor's traffic. Their check may run alongside the turn's opening round trip instead of
   * before it (one round trip fewer to wait for on a first message); someone sending fast has been seen, so
   * their messages are still refused before they reach the database.
   */
  alongside: boolean;
  /**
   * For a message proven to be the end user's first ever (its turn's write claimed them, presumed-first-turn.ts)
   * and so within any limit, instead of `verdict`: its hit is recorded with others' in one round trip within
   * RECORD_EVERY_MS. This process's own checks send the waiting hits first; another process's check of the same
   * end user in those few milliseconds counts one hit fewer, which no limit of 30 a minute can notice.
   */
  counted: () => void;
};

/** Remembers which end users this process saw in the last window, to decide when the limit may be checked alongside the turn. */
export function createEndUserAdmission(now: () => number = Date.now) {
  const lastSeen = new Map<string, number>();
  let waiting: Hit[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const record = (kv: Kv) => {
    if (timer) clearTimeout(timer);
    timer = null;
    const hits = waiting;
    waiting = [];
    // A hit lost to an unreachable limiter undercounts one first message; the limiter's outage is reported by its checks.
    if (hits.length) kv.recordHits(hits).catch(() => {});
  };
  return function check(kv: Kv, tenantId: string, userId: string): EndUserCheck {
    const key = `${tenantId}:${userId}`;
    const at = now();
    const last = lastSeen.get(key);
    // Re-inserted so the map's order is least recently seen first, which is what gets forgotten.
    lastSeen.delete(key);
    if (lastSeen.size >= MAX_REMEMBERED) lastSeen.delete(lastSeen.keys().next().value!);
    lastSeen.set(key, at);
    let verdict: Promise<WindowResult | null> | null = null;
    return {
      verdict: () => {
        if (!verdict) {
          // Sent after the waiting hits on the same connection, so the window holds them when this is counted.
          record(kv);
          verdict = checkEndUserLimit(kv, tenantId, userId);
        }
        return verdict;
      },
      alongside: last === undefined || at - last >= WINDOW_MS,
      counted: () => {
        waiting.push(endUserHit(tenantId, userId, at));
        if (waiting.length >= RECORD_AT_MOST) record(kv);
        else timer ??= setTimeout(() => record(kv), RECORD_EVERY_MS).unref();
      },
    };
  };
}
