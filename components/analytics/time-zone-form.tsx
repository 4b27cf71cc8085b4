"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";

/** Admins pick the zone the days are counted in; every day is then counted again. */
export function TimeZoneForm({ current, zones }: { current: string; zones: string[] }) {
  const router = useRouter();
  const [zone, setZone] = useState(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.analytics.setTimeZone.mutate({ time_zone: zone });
      router.refresh();
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} className="row" aria-label="Time zone">
      <label htmlFor="analytics-time-zone">Time zone</label>
      <select id="analytics-time-zone" value={zone} onChange={(e) => setZone(e.target.value)} data-testid="analytics-time-zone">
        {zones.map((z) => (
          <option key={z} value={z}>{z}</option>
        ))}
      </select>
      <button type="submit" className="secondary" disabled={busy || zone === current}>
        {busy ? "Recounting…" : "Save"}
      </button>
      {error ? <span className="error" role="alert">{error}</span> : null}
    </form>
  );
}
