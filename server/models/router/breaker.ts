import type { Kv } from "../../cache/kv";

export type BreakerOptions = { threshold: number; cooldownMs: number };
export const DEFAULT_BREAKER: BreakerOptions = { threshold: 5, cooldownMs: 30_000 };

/** What the breaker lets through: a normal call, the one probe of a half-open circuit, or nothing. */
export type BreakerVerdict = { allowed: true; probe: boolean } | { allowed: false; error_class: "circuit_open" | "unauthorized"; reason: string };

// Long enough to outlive any cooldown; the state is cleared by a success, not by expiry.
const STATE_TTL_MS = 24 * 60 * 60_000;
const PROBE_TTL_MS = 60_000;

/**
 * A circuit breaker per (tenant, connection, key) whose state lives in the Kv, so with Redis every
 * process sees the same circuit. Closed until `threshold` consecutive retryable failures; then open
 * for `cooldownMs` (no request reaches the provider); then one probe (claimed with set-if-absent):
 * its success closes the circuit, its failure opens it again. A Kv that fails lets calls through.
 * The same state key holds a refused key's mark ("invalid:…"), so one read per candidate covers both.
 */
export function createBreaker(kv: Kv, opts: BreakerOptions, now: () => number) {
  const keys = (id: string) => ({ state: `cb:${id}`, fails: `cb:${id}:fails`, probe: `cb:${id}:probe` });
  const quietly = (p: Promise<unknown>) => void p.catch(() => {});
  return {
    async check(id: string): Promise<BreakerVerdict> {
      const k = keys(id);
      let state: string | null;
      try {
        state = await kv.get(k.state);
      } catch {
        return { allowed: true, probe: false };
      }
      if (state === null) return { allowed: true, probe: false };
      if (state.startsWith("invalid:")) return { allowed: false, error_class: "unauthorized", reason: state.slice("invalid:".length) };
      const openedAt = Number(state.slice("open:".length));
      const waited = now() - openedAt;
      if (waited < opts.cooldownMs) return { allowed: false, error_class: "circuit_open", reason: `Circuit open after repeated failures; next try in ${Math.ceil((opts.cooldownMs - waited) / 1000)} s` };
      const claimed = await kv.set(k.probe, String(now()), PROBE_TTL_MS, { onlyIfAbsent: true }).catch(() => false);
      return claimed ? { allowed: true, probe: true } : { allowed: false, error_class: "circuit_open", reason: "Circuit half-open: another request is probing the provider" };
    },
    async succeeded(id: string, probe: boolean): Promise<void> {
      const k = keys(id);
      // Off the answer's path; a closing probe is awaited, so the next request finds the circuit closed.
      quietly(kv.reset(k.fails));
      if (probe) await Promise.all([kv.reset(k.state), kv.reset(k.probe)]).catch(() => {});
    },
    async failed(id: string, probe: boolean): Promise<void> {
      const k = keys(id);
      try {
        const fails = await kv.increment(k.fails, 1, STATE_TTL_MS);
        if (probe || fails >= opts.threshold) {
          await kv.set(k.state, `open:${now()}`, STATE_TTL_MS);
          await kv.reset(k.fails);
        }
        if (probe) await kv.reset(k.probe);
      } catch {
        // A Kv outage must not fail the call on top of the provider's failure.
      }
    },
    /** The provider refused this key: skip it in every process until the key is replaced (the id holds the key's hash). */
    async markInvalid(id: string, reason: string): Promise<void> {
      await kv.set(keys(id).state, `invalid:${reason}`, STATE_TTL_MS).catch(() => {});
    },
  };
}
export type Breaker = ReturnType<typeof createBreaker>;
