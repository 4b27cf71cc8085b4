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
  /** Removes the recorded hits (e.g. after a successful login). */
  reset(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type WindowResult = { allowed: boolean; limit: number; remaining: number; retryAfterMs: number };
