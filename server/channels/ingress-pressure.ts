/**
 * Whether this process is being flooded with webhooks. Two signs, over the last WINDOW_MS:
 *   - many requests at once: on average at least FLOOD_IN_FLIGHT webhook requests waited for their ack;
 *   - a backlog: at least FLOOD_MIN_ARRIVALS events were stored here, and even the freshest event the inbox
 *     lane claimed had waited BACKLOG_WAIT_MS since it was stored.
 * Once flooded, it lasts while events keep arriving (FLOOD_END_ARRIVALS a window) and the backlog stays: with
 * turns stepped back the acks are fast and few wait at once, and a short pause in the flood (a collection, a
 * busy moment) must not hand the CPU back to a full lane, whose turns would then slow every ack down again.
 * The backlog is read from the claims' waits because any process's lane runs any stored event: this process's
 * own arrivals against its own finished turns would keep it flooded for as long as webhooks arrive once it has
 * stepped back, while another process's full lane ran the turns and kept the queue short.
 * Acks in flight stay a sign of their own: without it, lanes at full width kept pace with acks they slowed
 * down, so no backlog ever built (32 connections flooding acks: p95 123 ms instead of 33).
 * The freshest claim is the sign, not the oldest: a user's later messages wait behind their earlier ones by
 * design, while in a backlog every claim has waited, the next in line included.
 * Then acks go first: the inbox lane runs one turn at a time (outbox/worker.ts), so the CPU goes to storing
 * and acknowledging (a platform that waits too long for its 200 delivers everything again), and what was
 * stored is answered, in order, as soon as the flood ends. Outside a flood a platform has a request or two
 * open with us and events are claimed as they arrive (each end user waits for a reply before writing again),
 * and the lane runs at full width.
 */
const BUCKET_MS = 50;
const BUCKETS = 5;
export const WINDOW_MS = BUCKET_MS * BUCKETS;
export const FLOOD_IN_FLIGHT = 8;
export const FLOOD_MIN_ARRIVALS = 50;
export const FLOOD_END_ARRIVALS = 10;
export const BACKLOG_WAIT_MS = 100;

type State = { inFlight: number; since: number; busyMs: number[]; arrivals: number[]; freshestWait: number[]; bucket: number; flooded: boolean };

// On globalThis: Next may load the webhook route and the workers as separate module instances in one process.
const shared = globalThis as unknown as { __ingressPressure?: State };
const empty = (): State => ({ inFlight: 0, since: 0, busyMs: Array(BUCKETS).fill(0), arrivals: Array(BUCKETS).fill(0), freshestWait: Array(BUCKETS).fill(Infinity), bucket: 0, flooded: false });
const state = (shared.__ingressPressure ??= empty());

/** Moves the window to `nowMs` and adds the time since the last change, weighted by the requests open meanwhile; returns the current bucket. */
function advance(nowMs: number): number {
  const bucket = Math.floor(nowMs / BUCKET_MS);
  for (let b = Math.max(state.bucket + 1, bucket - BUCKETS + 1); b <= bucket; b++) {
    state.busyMs[b % BUCKETS] = 0;
    state.arrivals[b % BUCKETS] = 0;
    state.freshestWait[b % BUCKETS] = Infinity;
  }
  state.bucket = Math.max(state.bucket, bucket);
  state.busyMs[bucket % BUCKETS]! += state.inFlight * Math.min(Math.max(nowMs - state.since, 0), WINDOW_MS);
  state.since = nowMs;
  return bucket % BUCKETS;
}

/** A webhook request is waiting for its ack from now until the returned function is called. */
export function ackPending(nowMs = performance.now()): (endMs?: number) => void {
  advance(nowMs);
  state.inFlight++;
  let ended = false;
  return (endMs = performance.now()) => {
    if (ended) return;
    ended = true;
    advance(endMs);
    state.inFlight--;
  };
}

/** `n` new events were stored in the inbox. */
export function noteArrivals(n: number, nowMs = performance.now()): void {
  state.arrivals[advance(nowMs)]! += n;
}

/** The inbox lane claimed events that had waited these many ms since they were stored (null: a retry, whose wait says nothing of the queue). */
export function noteClaimWaits(waitedMs: readonly (number | null)[], nowMs = performance.now()): void {
  const bucket = advance(nowMs);
  for (const waited of waitedMs) if (waited !== null) state.freshestWait[bucket] = Math.min(state.freshestWait[bucket]!, waited);
}

export function floodedWithWebhooks(nowMs = performance.now()): boolean {
  advance(nowMs);
  const arrivals = state.arrivals.reduce((a, b) => a + b, 0);
  const busy = state.busyMs.reduce((a, b) => a + b, 0) / WINDOW_MS;
  const freshest = Math.min(...state.freshestWait);
  const backlog = freshest >= BACKLOG_WAIT_MS;
  const starts = busy >= FLOOD_IN_FLIGHT || (arrivals >= FLOOD_MIN_ARRIVALS && backlog && freshest !== Infinity);
  // No claim in the window (the one turn a flooded lane runs is slow) says nothing new: the flood goes on.
  const lasts = state.flooded && arrivals >= FLOOD_END_ARRIVALS && backlog;
  state.flooded = starts || lasts;
  return state.flooded;
}

/** For tests: nothing open, an empty window. */
export function resetIngressPressure(): void {
  Object.assign(state, empty());
}
