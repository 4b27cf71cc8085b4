import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships, modelBudgetMonths, modelCalls, modelSpendDays, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import type { ModelAttempt } from "@/server/flows/ports";
import { modelSpend } from "@/server/models/spend-queries";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const NOW = new Date("2026-12-15T12:00:00Z");

async function workspace(company: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email: `${randomUUID()}@spend.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  return { tenantId: tenant.id, userId: user.id, api: callerFor({ db: handle.db, kv, mailer }, user.id, tenant.id) };
}

const attempt = (provider: string, model: string, error_class: ModelAttempt["error_class"]): ModelAttempt => ({ provider, model, error_class, http_status: error_class ? 429 : 200, latency_ms: 5 });
type CallRow = typeof modelCalls.$inferInsert;
const call = (tenantId: string, createdAt: string, over: Partial<CallRow>): CallRow => ({ tenantId, status: "ok", provider: "openai", model: "gpt-4o-mini", priceTableVersion: "2026-11-01", createdAt: new Date(createdAt), ...over });

/** Tenant A's month: spend on both sides of the 30-day edge, four plain calls, one fallback, one failure, one refused by the budget. */
async function seedA(tenantId: string) {
  await handle.db.insert(modelSpendDays).values([
    { tenantId, day: "2026-12-15", provider: "openai", model: "gpt-4o-mini", calls: 4, inputTokens: 400, outputTokens: 80, costCents: 1.5 },
    { tenantId, day: "2026-12-14", provider: "anthropic", model: "claude-sonnet-4-5", calls: 1, fallbacks: 1, costCents: 2.25 },
    { tenantId, day: "2026-11-16", provider: "openai", model: "gpt-4o-mini", calls: 1, failures: 1, costCents: 0.25 },
    // One day before the window: never counted.
    { tenantId, day: "2026-11-15", provider: "openai", model: "gpt-4o-mini", calls: 9, costCents: 100 },
  ]);
  await handle.db.insert(modelBudgetMonths).values([
    { tenantId, month: "2026-12-01", spentCents: 3.75, reservedCents: 0.5 },
    { tenantId, month: "2026-11-01", spentCents: 500 },
  ]);
  await handle.db.insert(modelCalls).values([
    ...[100, 200, 300, 400].map((latencyMs, i) => call(tenantId, "2026-12-15T09:00:00Z", { latencyMs, ttftMs: (i + 1) * 10, attempts: [attempt("openai", "gpt-4o-mini", null)] })),
    call(tenantId, "2026-12-14T09:00:00Z", { provider: "anthropic", model: "claude-sonnet-4-5", fallbackApplied: true, latencyMs: 900, ttftMs: 50, attempts: [attempt("openai", "gpt-4o-mini", "rate_limited"), attempt("anthropic", "claude-sonnet-4-5", null)] }),
    call(tenantId, "2026-11-16T00:00:00Z", { status: "failed", provider: null, model: null, latencyMs: 40, attempts: [attempt("openai", "gpt-4o-mini", "rate_limited"), attempt("anthropic", "claude-sonnet-4-5", "server_error")] }),
    call(tenantId, "2026-12-10T09:00:00Z", { status: "budget_exhausted", provider: null, model: null }),
    // 30 days and a minute before the window's first day ends: outside it.
    call(tenantId, "2026-11-15T23:59:00Z", { latencyMs: 99_999, fallbackApplied: true, attempts: [attempt("openai", "gpt-4o-mini", "timeout")] }),
  ]);
}

/** Tenant B spends heavily on the same days and models: none of it may show in A's figures. */
async function seedB(tenantId: string) {
  await handle.db.insert(modelSpendDays).values({ tenantId, day: "2026-12-15", provider: "openai", model: "gpt-4o-mini", calls: 50, fallbacks: 50, costCents: 9000 });
  await handle.db.insert(modelBudgetMonths).values({ tenantId, month: "2026-12-01", spentCents: 9000 });
  await handle.db.insert(modelCalls).values(Array.from({ length: 3 }, () => call(tenantId, "2026-12-15T10:00:00Z", { latencyMs: 5000, ttftMs: 4000, fallbackApplied: true, attempts: [attempt("openai", "gpt-4o-mini", "unauthorized")] })));
}

let a: Awaited<ReturnType<typeof workspace>>;
let b: Awaited<ReturnType<typeof workspace>>;

beforeAll(async () => {
  handle = await createTestDb();
  a = await workspace("Spend Alpha");
  b = await workspace("Spend Bravo");
  await seedA(a.tenantId);
  await seedB(b.tenantId);
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("model spend and health", () => {
  it("sums the last 30 UTC days per day and per model, and reads the month against the budget", async () => {
    await a.api.models.saveRouting({ chain: [], max_cost_cents: null, monthly_budget_cents: 1000 });
    const spend = await modelSpend(handle.db, a.tenantId, NOW);
    expect(spend.days).toHaveLength(30);
    expect([spend.days[0], spend.days.at(-1)]).toEqual(["2026-11-16", "2026-12-15"]);
    expect(spend.perDay).toEqual([
      { day: "2026-11-16", provider: "openai", model: "gpt-4o-mini", cost_cents: 0.25, calls: 1 },
      { day: "2026-12-14", provider: "anthropic", model: "claude-sonnet-4-5", cost_cents: 2.25, calls: 1 },
      { day: "2026-12-15", provider: "openai", model: "gpt-4o-mini", cost_cents: 1.5, calls: 4 },
    ]);
    expect(spend.perModel).toEqual([
      { provider: "anthropic", model: "claude-sonnet-4-5", calls: 1, fallbacks: 1, failures: 0, input_tokens: 0, output_tokens: 0, cost_cents: 2.25 },
      { provider: "openai", model: "gpt-4o-mini", calls: 5, fallbacks: 0, failures: 1, input_tokens: 400, output_tokens: 80, cost_cents: 1.75 },
    ]);
    expect(spend.month).toEqual({ month: "2026-12-01", spent_cents: 3.75, reserved_cents: 0.5, budget_cents: 1000 });
  });

  it("computes the fallback rate, latency percentiles and failures by reason from the calls themselves", async () => {
    const spend = await modelSpend(handle.db, a.tenantId, NOW);
    expect(spend.fallback).toEqual({ calls: 7, fallbacks: 1 });
    // Answered calls only: 100, 200, 300, 400 and 900 ms.
    expect(spend.latency).toEqual({ p50_ms: 300, p95_ms: 800, ttft_p50_ms: 30 });
    expect(spend.latencyPerModel).toEqual([
      { provider: "anthropic", model: "claude-sonnet-4-5", calls: 1, p50_ms: 900, p95_ms: 900, ttft_p50_ms: 50 },
      { provider: "openai", model: "gpt-4o-mini", calls: 4, p50_ms: 250, p95_ms: 385, ttft_p50_ms: 25 },
    ]);
    expect(spend.failures).toEqual([
      { reason: "rate_limited", count: 2 },
      { reason: "budget_exhausted", count: 1 },
      { reason: "server_error", count: 1 },
    ]);
  });

  it("shows a workspace with no calls as empty, not as another's figures", async () => {
    const empty = await workspace("Spend Charlie");
    const spend = await modelSpend(handle.db, empty.tenantId, NOW);
    expect(spend).toMatchObject({ perDay: [], perModel: [], failures: [], latencyPerModel: [], fallback: { calls: 0, fallbacks: 0 }, latency: { p50_ms: null, p95_ms: null, ttft_p50_ms: null } });
    expect(spend.month).toEqual({ month: "2026-12-01", spent_cents: 0, reserved_cents: 0, budget_cents: null });
  });

  it("serves each workspace its own spend and routing over tRPC, and only owners and admins change the routing", async () => {
    const today = new Date().toISOString().slice(0, 10);
    await handle.db.insert(modelSpendDays).values({ tenantId: b.tenantId, day: today, provider: "anthropic", model: "claude-bravo-only", calls: 2, costCents: 77 });
    await b.api.models.saveRouting({ chain: [], max_cost_cents: 3, monthly_budget_cents: 7777 });

    const fromA = await a.api.models.spend();
    expect(JSON.stringify(fromA)).not.toContain("claude-bravo-only");
    expect(fromA.month.budget_cents).toBe(1000);
    expect(await a.api.models.routing()).toEqual({ chain: [], max_cost_cents: null, monthly_budget_cents: 1000 });
    expect((await b.api.models.spend()).perModel).toContainEqual(expect.objectContaining({ model: "claude-bravo-only", cost_cents: 77 }));

    const [member] = await handle.db.insert(users).values({ email: `${randomUUID()}@spend.test`, passwordHash: await hashPassword("irrelevant-pass-1"), emailVerifiedAt: new Date() }).returning();
    await handle.db.insert(memberships).values({ tenantId: a.tenantId, userId: member!.id, role: "member" });
    const asMember = callerFor({ db: handle.db, kv, mailer }, member!.id, a.tenantId);
    expect((await asMember.models.routing()).monthly_budget_cents).toBe(1000);
    await expect(asMember.models.saveRouting({ chain: [], max_cost_cents: null, monthly_budget_cents: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await a.api.models.routing()).monthly_budget_cents).toBe(1000);
  });

  it("refuses a chain naming a model no connection serves, and a negative cap, in plain words", async () => {
    const refused = await a.api.models.saveRouting({ chain: ["openai:gpt-4o"], max_cost_cents: null, monthly_budget_cents: null }).catch((e: TRPCError) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).message).toBe("Connect openai:gpt-4o first: no connected model serves it.");
    const negative = await a.api.models.saveRouting({ chain: [], max_cost_cents: -1, monthly_budget_cents: null }).catch((e: TRPCError) => e);
    expect((negative as TRPCError).message).toContain("Max cost per request (cents) must be more than 0");
    expect((await a.api.models.routing()).monthly_budget_cents).toBe(1000);
  });
});
