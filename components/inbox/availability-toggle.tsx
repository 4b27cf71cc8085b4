"use client";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";

/** Available members take handed-off conversations; while nobody is, a handoff's away timer runs. */
export function AvailabilityToggle({ initial }: { initial: boolean }) {
  const [available, setAvailable] = useState(initial);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    setPending(true);
    setError(null);
    try {
      const saved = await api.inbox.setAvailable.mutate({ available: !available });
      setAvailable(saved.available);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <span className="row">
      <span data-testid="availability-status">{available ? "You are available" : "You are away"}</span>
      <button type="button" className="secondary" aria-pressed={available} onClick={() => void toggle()} disabled={pending} data-testid="availability-toggle">
        {available ? "Set away" : "Set available"}
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
