import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { RoutingForm } from "@/components/models/routing-form";
import { SpendSection } from "@/components/models/spend-section";
import type { ModelSpend } from "@/server/models/spend-queries";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }) }));

const text = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
const days = Array.from({ length: 30 }, (_, i) => `2026-12-${String(i + 1).padStart(2, "0")}`);
const empty: ModelSpend = {
  days,
  perDay: [],
  perModel: [],
  month: { month: "2026-12-01", spent_cents: 0, reserved_cents: 0, budget_cents: null },
  fallback: { calls: 0, fallbacks: 0 },
  latency: { p50_ms: null, p95_ms: null, ttft_p50_ms: null },
  latencyPerModel: [],
  failures: [],
};
const busy: ModelSpend = {
  ...empty,
  perDay: [{ day: "2026-12-03", provider: "openai_compatible", model: "llama-3", cost_cents: 1.5, calls: 3 }],
  perModel: [{ provider: "openai_compatible", model: "llama-3", calls: 8, fallbacks: 1, failures: 2, input_tokens: 900, output_tokens: 120, cost_cents: 1250 }],
  month: { month: "2026-12-01", spent_cents: 250, reserved_cents: 0.5, budget_cents: 1000 },
  fallback: { calls: 8, fallbacks: 1 },
  latency: { p50_ms: 300, p95_ms: 800, ttft_p50_ms: 30 },
  latencyPerModel: [{ provider: "openai_compatible", model: "llama-3", calls: 5, p50_ms: 300, p95_ms: 800, ttft_p50_ms: 30 }],
  failures: [{ reason: "rate_limited", count: 2 }, { reason: "budget_exhausted", count: 1 }],
};

describe("the spend and health section", () => {
  it("says in words that nothing was spent and no budget is set", () => {
    const html = renderToStaticMarkup(createElement(SpendSection, { spend: empty }));
    const words = text(html);
    expect(words).toContain("No budget set.");
    expect(words).toContain("No spend in the last 30 days: no model has answered yet.");
    expect(words).toContain("No failures in the last 30 days.");
    expect(html).toMatch(/data-testid="fallback-rate">No calls yet</);
    expect(html).toMatch(/data-testid="latency-p50">–</);
    expect(html).not.toContain('data-testid="models-spend-table"');
  });

  it("shows the month against the budget, the fallback rate, latency, spend per model and failures in words", () => {
    const html = renderToStaticMarkup(createElement(SpendSection, { spend: busy }));
    const words = text(html);
    expect(words).toContain("250¢ ($2.50) of 1,000¢ ($10.00) spent this month (25%), 0.5¢ held by calls in progress");
    expect(html).toMatch(/data-testid="fallback-rate">12.5% \(1 of 8 calls\)</);
    expect(html).toMatch(/data-testid="latency-p50">300 ms</);
    expect(html).toMatch(/data-testid="latency-p95">800 ms</);
    expect(html).toContain('data-testid="models-spend-chart"');
    expect(words).toContain("OpenAI-compatible server · llama-3 8 1 2 900 120 1,250¢ ($12.50)");
    expect(words).toContain("Rate limited by the provider (429) 2");
    expect(words).toContain("Monthly budget used up 1");
    expect(words).not.toContain("openai_compatible");
  });
});

describe("the routing section", () => {
  const policy = { chain: ["anthropic:claude-sonnet-4-5", "openai:gpt-4o"], max_cost_cents: 2.5, monthly_budget_cents: null };
  const connected = ["openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5"];

  it("lets owners and admins reorder, remove and add connected models, and marks an entry no connection serves", () => {
    const html = renderToStaticMarkup(createElement(RoutingForm, { policy, connected, canManage: true }));
    const words = text(html);
    expect(words).toContain("Anthropic · claude-sonnet-4-5");
    expect(words).toContain("OpenAI · gpt-4o not connected");
    for (const id of ["routing-up", "routing-down", "routing-remove", "routing-add", "save-routing"]) expect(html).toContain(`data-testid="${id}"`);
    // Only connected models not yet in the chain can be added.
    expect(html).toMatch(/<option value="openai:gpt-4o-mini">OpenAI · gpt-4o-mini<\/option>/);
    expect(html).not.toMatch(/<option value="anthropic:claude-sonnet-4-5">/);
    expect(html).toMatch(/data-testid="routing-max-cost"[^>]*value="2.5"|value="2.5"[^>]*data-testid="routing-max-cost"/);
  });

  it("shows a member the chain and limits without a way to change them", () => {
    const html = renderToStaticMarkup(createElement(RoutingForm, { policy: { ...policy, chain: [] }, connected, canManage: false }));
    const words = text(html);
    expect(words).toContain("No chain set: every connected model, the default first.");
    expect(words).toContain("Max cost per request: 2.5¢ · Monthly budget: no budget");
    expect(words).toContain("Owners and admins change the routing.");
    for (const id of ["routing-form", "save-routing", "routing-add", "routing-remove"]) expect(html).not.toContain(`data-testid="${id}"`);
  });
});
