import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { messages, modelBudgetMonths, modelCalls, modelSpendDays, providerConfigs } from "@/db/schema";
import { queryRows } from "@/db/query-rows";
import { hashPassword } from "@/server/auth/passwords";
import type { Kv } from "@/server/cache/kv";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import demoFlow from "@/server/flows/demo-flow.json";
import { createProviderConfig, deleteProviderConfig, listProviderConfigs, updateProviderConfig } from "@/server/models/provider-configs";
import { saveRoutingPolicy } from "@/server/models/routing-policy";
import { tenantLlm } from "@/server/models/tenant-llm";
import { forgetTenantLlm } from "@/server/models/tenant-llm-cache";
import { processMessage, type PipelineDeps } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-server";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let llm: FakeLlmServer;
let kv: Kv;
let tenantId: string;
const QUESTION = "Do you ship internationally?";
const FALLBACK = "Good question! I can't answer that one myself yet";
const NOW = new Date("2026-12-01T12:00:00Z");

const deps = (): PipelineDeps => ({ db: handle.db, now: () => NOW, llmFor: (id) => tenantLlm(handle.db, id, [llm.host], { kv, clock: () => NOW.getTime() }) });
const ask = (user: string) => processMessage(deps(), tenantId, { user_id: user, channel: "web", content: { type: "text", text: QUESTION } });
const connect = (provider: "openai" | "anthropic", apiKey: string, isDefault: boolean) =>
  createProviderConfig(handle.db, tenantId, null, provider === "openai" ? { provider, name: "Main", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey, isDefault } : { provider, name: "Backup", model: "claude-haiku-4-5", baseUrl: llm.anthropicBaseUrl, apiKey, isDefault });

beforeAll(async () => {
  handle = await createTestDb();
  llm = await startFakeLlmServer();
  kv = createTestKv();
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Router Inc", email: "router@example.com", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  tenantId = tenant.id;
  const flow = await createFlow(handle.db, tenantId, null, { name: "demo", definition: demoFlow });
  await publishFlow(handle.db, tenantId, null, flow.id);
});
afterAll(async () => {
  await llm.close();
  await kv.close();
  await handle.dispose();
});
beforeEach(async () => {
  for (const p of await listProviderConfigs(handle.db, tenantId)) await deleteProviderConfig(handle.db, tenantId, null, p.id);
  await saveRoutingPolicy(handle.db, tenantId, null, { chain: [], max_cost_cents: null, monthly_budget_cents: null });
  await handle.db.delete(modelCalls);
  await handle.db.delete(modelSpendDays);
  await handle.db.delete(modelBudgetMonths);
  llm.reset();
});

describe("a turn's model calls are stored with it", () => {
  it("stores a model_calls row for the reply, sums the day per model and the month's spend, and answers with processing_metadata.model_call", async () => {
    await connect("openai", "sk-openai-1", true);
    await connect("anthropic", "sk-ant-1", false);
    llm.script("openai", { kind: "status", status: 429 });
    const first = await ask("spender-1");
    const second = await ask("spender-2");
    expect(first.response.text).toBe("Returns are free within 30 days.");
    expect(second.response.text).toBe("We ship to 40 countries; delivery takes 3-7 days.");
    expect(first.processing_metadata.model_used).toBe("anthropic:claude-haiku-4-5");
    expect(first.processing_metadata.model_call).toMatchObject({ status: "ok", provider: "anthropic", model: "claude-haiku-4-5", fallback_applied: true, input_tokens: 40, output_tokens: 9, cost_cents: 0.0085, price_table_version: "2026-11-01" });
    expect(first.processing_metadata.model_call!.attempts.map((a) => [a.provider, a.error_class, a.http_status])).toEqual([
      ["openai", "rate_limited", 429],
      ["anthropic", null, 200],
    ]);

    const [reply] = await handle.db.select({ id: messages.id }).from(messages).where(and(eq(messages.conversationId, first.conversation_id), eq(messages.direction, "outbound")));
    const [row] = await handle.db.select().from(modelCalls).where(eq(modelCalls.conversationId, first.conversation_id));
    expect(row).toMatchObject({ tenantId, messageId: reply!.id, status: "ok", provider: "anthropic", model: "claude-haiku-4-5", fallbackApplied: true, inputTokens: 40, outputTokens: 9, costCents: 0.0085, priceTableVersion: "2026-11-01" });
    expect((row!.attempts as { error_class: string | null }[]).map((a) => a.error_class)).toEqual(["rate_limited", null]);

    const days = await handle.db.select().from(modelSpendDays).where(eq(modelSpendDays.tenantId, tenantId)).orderBy(modelSpendDays.provider);
    expect(days.map((d) => [d.day, d.provider, d.model, d.calls, d.fallbacks, d.failures, d.inputTokens, d.outputTokens, d.costCents])).toEqual([
      ["2026-12-01", "anthropic", "claude-haiku-4-5", 1, 1, 0, 40, 9, 0.0085],
      ["2026-12-01", "openai", "gpt-4o-mini", 1, 0, 0, 42, 12, 0.00135],
    ]);
    const [month] = await handle.db.select().from(modelBudgetMonths).where(eq(modelBudgetMonths.tenantId, tenantId));
    expect([month!.month, month!.spentCents]).toEqual(["2026-12-01", 0.00985]);
  });

  it("answers from the template with status budget_exhausted in processing_metadata and the stored row when the month's budget is spent", async () => {
    await connect("openai", "sk-openai-2", true);
    // Spent in an earlier turn, durable in Postgres; the Kv counter starts from it.
    await handle.db.insert(modelBudgetMonths).values({ tenantId, month: "2026-12-01", spentCents: 4.99 });
    await saveRoutingPolicy(handle.db, tenantId, null, { chain: [], max_cost_cents: null, monthly_budget_cents: 5 });
    await kv.reset(`budget:${tenantId}:${NOW.toISOString().slice(0, 7)}-01`);
    const result = await ask("thrifty-1");
    expect(result.response.text).toContain(FALLBACK);
    expect(result.processing_metadata.model_used).toBeNull();
    expect(result.processing_metadata.model_call).toMatchObject({ status: "budget_exhausted", provider: null, reason: "This month's model budget (5¢) is spent; the bot answers from its templates until next month or a higher budget." });
    expect(llm.seen).toHaveLength(0);
    const [row] = await handle.db.select().from(modelCalls).where(eq(modelCalls.conversationId, result.conversation_id));
    expect([row!.status, row!.costCents]).toEqual(["budget_exhausted", 0]);
  });

  it("marks a key the provider refused as invalid, skips it on the next turn without calling it, and a replaced key clears the mark", async () => {
    const { id } = await connect("openai", "sk-openai-refused", true);
    await connect("anthropic", "sk-ant-3", false);
    llm.script("openai", { kind: "status", status: 401 });
    const first = await ask("refused-1");
    expect(first.response.text).toBe("Returns are free within 30 days.");
    const [marked] = await handle.db.select().from(providerConfigs).where(eq(providerConfigs.id, id));
    expect(marked!.keyInvalidAt).toEqual(NOW);
    expect(marked!.keyInvalidReason).toBe("The provider refused the key (401) on 2026-12-01");

    forgetTenantLlm(tenantId);
    const next = await ask("refused-2");
    expect(next.processing_metadata.model_call!.attempts[0]).toMatchObject({ provider: "openai", error_class: "unauthorized", latency_ms: 0 });
    expect(llm.seen.filter((s) => s.path === "/v1/chat/completions")).toHaveLength(1);
    // The refused key never shows in what the API answers or stores about the call.
    const stored = await queryRows(handle.db, sql`select attempts::text from model_calls`);
    expect(JSON.stringify([first, next, stored])).not.toContain("sk-openai-refused");

    await updateProviderConfig(handle.db, tenantId, null, id, { name: "Main", model: "gpt-4o-mini", models: [], baseUrl: llm.baseUrl, apiKey: "sk-openai-new" }, { tested: null, connectionChanged: true });
    const [cleared] = await handle.db.select().from(providerConfigs).where(eq(providerConfigs.id, id));
    expect([cleared!.keyInvalidAt, cleared!.keyInvalidReason]).toEqual([null, null]);
    const again = await ask("refused-3");
    expect(again.processing_metadata.model_call).toMatchObject({ status: "ok", provider: "openai", fallback_applied: false });
  });
});
