/**
 * Runs `work` with a signal that aborts when `ms` pass or `parent` aborts. Past the deadline the
 * result is `late()` (which may throw) and the work is told to stop, so nothing it started keeps
 * running after its caller has moved on.
 */
export async function withDeadline<T>(ms: number, parent: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>, late: () => T): Promise<T> {
  const own = new AbortController();
  const signal = parent ? AbortSignal.any([parent, own.signal]) : own.signal;
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
    return await Promise.race([work(signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
