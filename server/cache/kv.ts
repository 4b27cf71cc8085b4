/** Hot state and rate limits; backed by Redis (TCP or Upstash REST) or by memory when embedded. */
export interface Kv {
  readonly kind: "memory" | "redis" | "upstash";
  /**
   * Records one hit in a sliding window and reports whether it is within `limit`.
   * Denied hits are not recorded, so a client that backs off is not punished further.
   */
  slidingWindow(key: string, limit: number, windowMs: number, now?: number): Promise<WindowResult>;
  /** Hits recorded in the window, without recording one. */
  count(key: string, windowMs: number, now?: number): Promise<number>;
  /** Records a hit unconditionally (e.g. a failed login). */
  record(key: string, windowMs: number, now?: number): Promise<void>;
  /** Records each hit unconditionally, all in one round trip (hits a caller already knows are within their limits). */
  recordHits(hits: readonly Hit[]): Promise<void>;
  /** Removes the recorded hits (e.g. after a successful login). */
  reset(key: string): Promise<void>;
  /** The value at `key`, or null when it is not set (or expired). */
  get(key: string): Promise<string | null>;
  /** Sets `key` for `ttlMs`; with `onlyIfAbsent` only when it is not set. Reports whether it was written. */
  set(key: string, value: string, ttlMs: number, opts?: { onlyIfAbsent?: boolean }): Promise<boolean>;
  /** Adds `by` (an integer, may be negative) to the integer at `key` (0 when absent), keeps it `ttlMs`; the new value. */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /**
   * Atomically (one script in Redis): a missing `key` starts at `initial`; then `amount` is added only
   * when the total stays within `limit`. Integers only. `total` is the value after the call.
   */
  reserve(key: string, amount: number, limit: number, initial: number, ttlMs: number): Promise<ReserveResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One hit of a sliding window (`Kv.slidingWindow`'s key and window), recorded at `at`. */
export type Hit = { key: string; windowMs: number; at: number };

export type WindowResult = { allowed: boolean; limit: number; remaining: number; retryAfterMs: number };

export type ReserveResult = { reserved: boolean; total: number };
