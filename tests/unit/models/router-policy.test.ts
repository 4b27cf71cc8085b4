import { describe, expect, it } from "vitest";
import type { ModelAttempt } from "@/server/flows/ports";
import { estimateInputTokens, microCents, priceOf, worstCaseMicroCents } from "@/server/models/model-cost";
import { failureOf } from "@/server/models/router/call-record";
import { resolveRouting, type RouterConnection } from "@/server/models/router/candidates";
import { NO_POLICY } from "@/server/models/routing-policy";

const conn = (id: string, provider: RouterConnection["provider"], model: string, models: string[] = []): RouterConnection => ({ id, provider, model, models, baseUrl: null, apiKey: `key-${id}`, keyInvalid: false });
// Default first, as loadProviderSecrets orders them.
const connections = [conn("main", "openai", "gpt-4o-mini", ["gpt-4o"]), conn("backup", "anthropic", "claude-haiku-4-5"), conn("second-openai", "openai", "gpt-4.1", ["gpt-4o"])];
const refs = (r: ReturnType<typeof resolveRouting>) => r.candidates.map((c) => `${c.connection.id}/${c.ref}`);

describe("the chain a call routes through", () => {
  it("is every connection with its primary model, default first, when no chain is set", () => {
    expect(refs(resolveRouting(connections, NO_POLICY))).toEqual(["main/openai:gpt-4o-mini", "backup/anthropic:claude-haiku-4-5", "second-openai/openai:gpt-4.1"]);
  });

  it("resolves each entry to the first connection of its provider that serves the model, and names the ones none serves", () => {
    const routing = resolveRouting(connections, { ...NO_POLICY, chain: ["openai:gpt-4o", "anthropic:claude-haiku-4-5", "openai:gpt-4.1", "anthropic:claude-opus-9"] });
    expect(refs(routing)).toEqual(["main/openai:gpt-4o", "backup/anthropic:claude-haiku-4-5", "second-openai/openai:gpt-4.1"]);
    expect(routing.unserved).toEqual(["anthropic:claude-opus-9"]);
  });

  it("takes the flow's then the state's overrides field by field, and a legacy state model replaces the first candidate's model", () => {
    const policy = { chain: ["openai:gpt-4o-mini"], max_cost_cents: 5, monthly_budget_cents: 100 };
    const flowOnly = resolveRouting(connections, policy, [{ chain: ["anthropic:claude-haiku-4-5"] }]);
    expect([refs(flowOnly), flowOnly.maxCostCents]).toEqual([["backup/anthropic:claude-haiku-4-5"], 5]);
    const both = resolveRouting(connections, policy, [{ chain: ["anthropic:claude-haiku-4-5"], max_cost_cents: 2 }, { max_cost_cents: 0.5 }], "claude-sonnet-4-5");
    expect([refs(both), both.maxCostCents]).toEqual([["backup/anthropic:claude-sonnet-4-5"], 0.5]);
  });
});

describe("prices and worst cases", () => {
  it("prices a dated model id by the repo's table, lets a tenant's price win, and never guesses a missing one", () => {
    expect(priceOf("openai:gpt-4o-mini-2024-07-18", new Map())).toEqual({ input_cents_per_mtok: 15, output_cents_per_mtok: 60 });
    const tenant = new Map([["openai_compatible:llama-3", { input_cents_per_mtok: 1, output_cents_per_mtok: 2 }]]);
    expect(priceOf("openai_compatible:llama-3", tenant)).toEqual({ input_cents_per_mtok: 1, output_cents_per_mtok: 2 });
    expect(priceOf("openai_compatible:llama-3", new Map())).toBeNull();
  });

  it("counts the prompt high (a token per 3 characters plus each message's overhead) and every allowed output token", () => {
    const tokens = estimateInputTokens(["a".repeat(300), "b".repeat(31)]);
    expect(tokens).toBe(100 + 8 + 11 + 8);
    // gpt-4o: 250¢ in, 1000¢ out per million tokens, in micro-cents.
    expect(worstCaseMicroCents({ input_cents_per_mtok: 250, output_cents_per_mtok: 1000 }, tokens, 400)).toBe(127 * 250 + 400 * 1000);
    expect(microCents({ input_cents_per_mtok: 0.5, output_cents_per_mtok: 0 }, { input_tokens: 3, output_tokens: 0 })).toBe(2);
  });
});

describe("why no model answered", () => {
  const attempt = (error_class: ModelAttempt["error_class"], message = ""): ModelAttempt => ({ provider: "openai", model: "gpt-4o", error_class, http_status: null, latency_ms: 0, message });
  const words = { budget: "budget spent", maxCostCents: 0.2 };

  it("says the budget when the router turned every candidate down and the budget was one reason", () => {
    expect(failureOf([attempt("skipped_cost"), attempt("skipped_budget", "This month's model budget (1¢) is spent")], words)).toEqual({ status: "budget_exhausted", reason: "This month's model budget (1¢) is spent" });
    expect(failureOf([attempt("skipped_cost"), attempt("unpriced", "llama has no price")], words)).toEqual({ status: "over_request_cap", reason: "Every model in the chain could cost more than the 0.2¢ cap per request." });
    expect(failureOf([attempt("unpriced", "llama has no price; set its prices on the AI models page")], words)).toEqual({ status: "unpriced", reason: "llama has no price; set its prices on the AI models page" });
  });

  it("is a failure naming each try once any provider was called", () => {
    const tried = { ...attempt("rate_limited"), http_status: 429 };
    expect(failureOf([tried, attempt("skipped_budget")], words)).toEqual({ status: "failed", reason: "No model answered: openai:gpt-4o rate_limited (429); openai:gpt-4o skipped_budget" });
  });
});
