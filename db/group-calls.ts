/**
 * Group commit for one statement: calls made while the previous group's statement is out wait for it to
 * end and are then answered together by one statement. An idle caller is not delayed (its group starts in
 * the same tick), and a busy one waits at most for one statement: under load, N callers cost one round
 * trip, one parse and one commit instead of N.
 *
 * `run` answers a group's inputs in order. A group that fails is tried again one input at a time, so an
 * input the database refuses fails only its own caller; unless `shared(error)` says the failure is not any
 * input's (the database unreachable): then every caller of the group gets it at once.
 */
export function groupCalls<I, O>(run: (inputs: I[]) => Promise<O[]>, maxGroup: number, shared: (error: unknown) => boolean = () => false): (input: I) => Promise<O> {
  type Waiting = { input: I; resolve: (output: O) => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let flushing = false;

  const answer = async (group: Waiting[]) => {
    try {
      const outputs = await run(group.map((w) => w.input));
      group.forEach((w, i) => w.resolve(outputs[i]!));
    } catch (error) {
      if (group.length === 1 || shared(error)) return group.forEach((w) => w.reject(error));
      for (const w of group) await answer([w]);
    }
  };

  const flush = async () => {
    while (queue.length) {
      const group = queue.slice(0, maxGroup);
      queue = queue.slice(group.length);
      await answer(group);
    }
    flushing = false;
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      if (flushing) return;
      flushing = true;
      queueMicrotask(flush);
    });
}

/** One grouped caller per database handle (a test's database is not the app's). */
export function groupedPerKey<K extends object, I, O>(make: (key: K) => (input: I) => Promise<O>): (key: K, input: I) => Promise<O> {
  const callers = new WeakMap<K, (input: I) => Promise<O>>();
  return (key, input) => {
    let call = callers.get(key);
    if (!call) callers.set(key, (call = make(key)));
    return call(input);
  };
}
