"use client";
import { useCallback, useEffect, useState } from "react";
import { describeError } from "./trpc-client";

/** Loads once and on `reload()`; keeps the last data while reloading so forms do not flicker. */
export function useQuery<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, []);
  useEffect(() => {
    let live = true;
    run()
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(describeError(e).message));
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}
