/**
 * Runs `work` with a signal that aborts when `ms` pass or `parent` aborts. Past the deadline the
 * result is `late()` (which may throw) and the work is told to stop, so nothing it started keeps
 * running after its caller has moved on.
 *
 * The parent is linked by hand: on Node 20, AbortSignal.any keeps every composed signal alive
 * (the heap grows with each call), which a per-message path cannot afford.
 */
export async function withDeadline<T>(ms: number, parent: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>, late: () => T): Promise<T> {
  const own = new AbortController();
  const follow = () => own.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener("abort", follow, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      own.abort(new Error(`timed out after ${ms} ms`));
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([work(own.signal), deadline]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", follow);
  }
}
