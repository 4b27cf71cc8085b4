/**
 * Whether this process is being flooded with webhooks. Two signs, over the last WINDOW_MS:
 *   - many requests at once: on average at least FLOOD_IN_FLIGHT webhook requests waited for their ack;
 *   - a growing backlog: at least FLOOD_MIN_ARRIVALS events were stored, FLOOD_RATIO times as many as the
 *     inbox lane finished (the flood's start, and while it lasts once turns have stepped back: acks are then
 *     fast, so few wait at once, but the backlog keeps growing).
 * Once flooded, it lasts while events keep arriving (FLOOD_END_ARRIVALS a window) faster than twice the
 * finished turns: with turns stepped back the acks are fast and few wait at once, and a short pause in the
 * flood (a collection, a busy moment) must not hand the CPU back to a full lane, whose turns would then slow
 * every ack down again.
 * Then acks go first: the inbox lane runs one turn at a time (outbox/worker.ts), so the CPU goes to storing
 * and acknowledging (a platform that waits too long for its 200 delivers everything again), and what was
 * stored is answered, in order, as soon as the flood ends. Outside a flood a platform has a request or two
 * open with us and arrivals keep pace with finished turns (each end user waits for a reply before writing
 * again), and the lane runs at full width.
 */
const BUCKET_MS = 50;
const BUCKETS = 5;
export const WINDOW_MS = BUCKET_MS * BUCKETS;
export const FLOOD_IN_FLIGHT = 8;
export const FLOOD_MIN_ARRIVALS = 50;
export const FLOOD_RATIO = 4;
export const FLOOD_END_ARRIVALS = 10;

type State = { inFlight: number; since: number; busyMs: number[]; arrivals: number[]; finished: number[]; bucket: number; flooded: boolean };

// On globalThis: Next may load the webhook route and the workers as separate module instances in one process.
const shared = globalThis as unknown as { __ingressPressure?: State };
const empty = (): State => ({ inFlight: 0, since: 0, busyMs: Array(BUCKETS).fill(0), arrivals: Array(BUCKETS).fill(0), finished: Array(BUCKETS).fill(0), bucket: 0, flooded: false });
const state = (shared.__ingressPressure ??= empty());

/** Moves the window to `nowMs` and adds the time since the last change, weighted by the requests open meanwhile; returns the current bucket. */
function advance(nowMs: number): number {
  const bucket = Math.floor(nowMs / BUCKET_MS);
  for (let b = Math.max(state.bucket + 1, bucket - BUCKETS + 1); b <= bucket; b++) {
    state.busyMs[b % BUCKETS] = 0;
    state.arrivals[b % BUCKETS] = 0;
    state.finished[b % BUCKETS] = 0;
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

/** The inbox lane finished one event. */
export function noteFinished(nowMs = performance.now()): void {
  state.finished[advance(nowMs)]! += 1;
}

export function floodedWithWebhooks(nowMs = performance.now()): boolean {
  advance(nowMs);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const arrivals = sum(state.arrivals);
  const busy = sum(state.busyMs) / WINDOW_MS;
  const finished = sum(state.finished);
  const starts = busy >= FLOOD_IN_FLIGHT || (arrivals >= FLOOD_MIN_ARRIVALS && arrivals > FLOOD_RATIO * finished);
  const lasts = state.flooded && arrivals >= FLOOD_END_ARRIVALS && arrivals > 2 * finished;
  state.flooded = starts || lasts;
  return state.flooded;
}

/** For tests: nothing open, an empty window. */
export function resetIngressPressure(): void {
  Object.assign(state, empty());
}
