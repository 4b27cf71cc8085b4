import Link from "next/link";
import type { AnalyticsPage } from "@/server/analytics/analytics-queries";
import styles from "./analytics.module.css";

/** Presets as links and a custom range as a plain GET form: the range lives in the URL, no script needed. */
export function RangePicker({ page, version }: { page: AnalyticsPage; version?: string }) {
  const { range, presets } = page;
  const href = (from: string, to: string) => `/dashboard/analytics?${new URLSearchParams({ from, to, ...(version && { version }) })}`;
  return (
    <div>
      <nav className={styles.presets} aria-label="Date range presets">
        {presets.map((p) => {
          const current = p.from === range.from && p.to === range.to;
          return (
            <Link key={p.label} className="button secondary" href={href(p.from, p.to)} aria-current={current ? "true" : undefined}>
              {p.label}
            </Link>
          );
        })}
      </nav>
      <form method="get" action="/dashboard/analytics" className={styles.rangeForm} aria-label="Custom date range">
        <div className="field">
          <label htmlFor="range-from">From</label>
          <input id="range-from" name="from" type="date" defaultValue={range.from} required />
        </div>
        <div className="field">
          <label htmlFor="range-to">To</label>
          <input id="range-to" name="to" type="date" defaultValue={range.to} required />
        </div>
        {version ? <input type="hidden" name="version" value={version} /> : null}
        <button type="submit">Show</button>
      </form>
    </div>
  );
}
