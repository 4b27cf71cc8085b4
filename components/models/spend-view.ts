import type { ChartSpec, TableRow } from "@/components/analytics/table-spec";
import type { ProviderKind } from "@/db/schema";
import { PROVIDER_LABELS } from "@/server/models/provider-labels";
import type { FailureReason, ModelSpend } from "@/server/models/spend-queries";

const COLORS = ["#4f46e5", "#d97706", "#16a34a", "#c0262d", "#0891b2", "#a21caf", "#65a30d", "#64748b"];

/** Cents as the budget fields take them: "0.42¢", "1,250¢ ($12.50)". */
export function formatCents(cents: number): string {
  const rounded = cents >= 100 ? Math.round(cents).toLocaleString("en-US") : String(Number(cents.toFixed(cents < 1 ? 4 : 2)));
  return cents >= 100 ? `${rounded}¢ ($${(cents / 100).toFixed(2)})` : `${rounded}¢`;
}

const providerLabel = (provider: string) => PROVIDER_LABELS[provider as ProviderKind] ?? provider;
/** "OpenAI · gpt-4o-mini": the stored provider value is never shown. */
export const modelLabel = (provider: string, model: string) => `${providerLabel(provider)} · ${model}`;

/** What each failure reason means, in words. */
export const FAILURE_WORDS: Record<FailureReason, string> = {
  rate_limited: "Rate limited by the provider (429)",
  server_error: "Provider error (5xx)",
  timeout: "Timed out",
  connection: "Could not connect",
  unauthorized: "Key refused (401/403)",
  bad_request: "Request refused (400)",
  stream_cut: "Answer cut off mid-stream",
  empty: "Empty answer",
  circuit_open: "Skipped: provider paused after repeated failures",
  skipped_cost: "Skipped: over the max cost per request",
  skipped_budget: "Skipped: more than the budget left",
  unpriced: "Skipped: no price known for the model",
  failed: "No model answered",
  stream_interrupted: "Answer interrupted",
  budget_exhausted: "Monthly budget used up",
  over_request_cap: "Every model over the max cost per request",
  no_model: "No model connected",
};

/** Cost per UTC day, one stacked series per provider and model. */
export function spendChart(spend: ModelSpend): ChartSpec {
  const keys = [...new Set(spend.perDay.map((r) => `${r.provider}:${r.model}`))];
  const series = keys.map((key, i) => {
    const [provider, ...model] = key.split(":");
    return { key, label: modelLabel(provider!, model.join(":")), color: COLORS[i % COLORS.length]! };
  });
  const data = spend.days.map((day) => {
    const point: Record<string, string | number> = { day: day.slice(5) };
    for (const key of keys) point[key] = 0;
    for (const r of spend.perDay) if (r.day === day) point[`${r.provider}:${r.model}`] = Number(r.cost_cents.toFixed(4));
    return point;
  });
  return { kind: "stacked-bars", categoryKey: "day", series, data, unit: "¢" };
}

export function perModelRows(spend: ModelSpend): TableRow[] {
  return spend.perModel.map((r) => ({ cells: [modelLabel(r.provider, r.model), r.calls, r.fallbacks, r.failures, r.input_tokens, r.output_tokens, formatCents(r.cost_cents)] }));
}

/** "12.5% (1 of 8 calls)", or null when there were no calls. */
export function fallbackRate({ calls, fallbacks }: ModelSpend["fallback"]): string | null {
  if (calls === 0) return null;
  const pct = Math.round((fallbacks / calls) * 1000) / 10;
  return `${pct}% (${fallbacks} of ${calls} call${calls === 1 ? "" : "s"})`;
}

/** This month against the budget, in words; null when no budget is set. */
export function budgetUsage(month: ModelSpend["month"]): { percent: number; text: string } | null {
  if (month.budget_cents === null) return null;
  const percent = Math.min(100, Math.round((month.spent_cents / month.budget_cents) * 100));
  const held = month.reserved_cents > 0 ? `, ${formatCents(month.reserved_cents)} held by calls in progress` : "";
  return { percent, text: `${formatCents(month.spent_cents)} of ${formatCents(month.budget_cents)} spent this month (${percent}%)${held}` };
}
