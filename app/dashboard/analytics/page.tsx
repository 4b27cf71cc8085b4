import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { ChartSection } from "@/components/analytics/chart-section";
import { MetricTiles } from "@/components/analytics/metric-tiles";
import { pageTables } from "@/components/analytics/page-tables";
import { RangePicker } from "@/components/analytics/range-picker";
import { TimeZoneForm } from "@/components/analytics/time-zone-form";
import { serverApi } from "@/lib/server-api";

export const metadata: Metadata = { title: "Analytics" };

type Search = { from?: string; to?: string; version?: string };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const asked: Search = { from: one(raw.from), to: one(raw.to), version: one(raw.version) };
  const api = await serverApi();
  const tenant = await api.tenant.current();
  const page = await api.analytics.page(asked).catch((e: unknown) => {
    // A bad range or an unknown version in the URL is the visitor's to fix: say what is wrong, keep the page.
    if (e instanceof TRPCError && (e.code === "BAD_REQUEST" || e.code === "NOT_FOUND")) return e.message;
    throw e;
  });
  if (typeof page === "string") {
    return (
      <div data-testid="analytics">
        <h1>Analytics</h1>
        <p className="alert" role="alert">{page}</p>
        <Link href="/dashboard/analytics">Show the last 30 days</Link>
      </div>
    );
  }
  const zones = tenant.role !== "member" ? await api.analytics.timeZone() : null;
  const version = page.funnel.version && !page.funnel.version.live ? page.funnel.version.id : undefined;
  const hasData = page.summary.conversations > 0 || page.summary.messages.inbound + page.summary.messages.outbound > 0;
  return (
    <div data-testid="analytics">
      <h1>Analytics</h1>
      <p className="muted">
        {`${page.range.from} to ${page.range.to}, days counted in ${page.summary.time_zone}. Test-widget conversations are left out.`}
      </p>
      <section className="card" aria-label="Date range">
        <RangePicker page={page} version={version} />
        {zones ? <TimeZoneForm current={zones.time_zone} zones={zones.zones} /> : null}
      </section>
      <MetricTiles summary={page.summary} />
      {hasData ? null : <p className="notice" data-testid="analytics-empty">No conversations or messages in this range yet. Pick a longer range, or come back once your bot has talked to someone.</p>}
      {page.funnel.versions.length > 1 ? (
        <form method="get" action="/dashboard/analytics" className="row" aria-label="Funnel flow version">
          <input type="hidden" name="from" value={page.range.from} />
          <input type="hidden" name="to" value={page.range.to} />
          <label htmlFor="funnel-version">Funnel of</label>
          <select id="funnel-version" name="version" defaultValue={page.funnel.version?.id}>
            {page.funnel.versions.map((v) => (
              <option key={v.id} value={v.id}>{v.live ? `${v.label} (live)` : v.label}</option>
            ))}
          </select>
          <button type="submit" className="secondary">Show</button>
        </form>
      ) : null}
      {pageTables(page).map((spec) => (
        <ChartSection key={spec.id} spec={spec} />
      ))}
    </div>
  );
}
