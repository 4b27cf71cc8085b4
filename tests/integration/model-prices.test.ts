import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { auditLog, memberships, modelPrices, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import type { Kv } from "@/server/cache/kv";
import { COMMANDS } from "@/server/cli/commands";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import demoFlow from "@/server/flows/demo-flow.json";
import { createProviderConfig } from "@/server/models/provider-configs";
import { tenantLlm } from "@/server/models/tenant-llm";
import { forgetTenantLlm } from "@/server/models/tenant-llm-cache";
import { processMessage, type PipelineDeps } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-server";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let llm: FakeLlmServer;
let kv: Kv;
const mailer = createCaptureMailer();
const shop = { tenantId: "", ownerId: "", memberId: "" };
const other = { tenantId: "", ownerId: "" };
const LLAMA = "openai_compatible:llama3";
const FALLBACK = "Good question! I can't answer that one myself yet";
const NOW = new Date("2026-12-01T12:00:00Z");

const deps = (): PipelineDeps => ({ db: handle.db, now: () => NOW, llmFor: (id) => tenantLlm(handle.db, id, [llm.host], { kv, clock: () => NOW.getTime() }) });
let turn = 0;
const ask = (tenantId: string) => processMessage(deps(), tenantId, { user_id: `visitor-${++turn}`, channel: "web", content: { type: "text", text: "Do you ship internationally?" } });
const as = (userId: string, tenantId: string) => callerFor({ db: handle.db, kv, mailer }, userId, tenantId);

async function workspace(name: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: name, email: `${name.toLowerCase()}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  const flow = await createFlow(handle.db, tenant.id, null, { name: "demo", definition: demoFlow });
  await publishFlow(handle.db, tenant.id, null, flow.id);
  // A self-hosted model: the repo's price table does not know it.
  await createProviderConfig(handle.db, tenant.id, null, { provider: "openai_compatible", name: "Local", model: "llama3", baseUrl: llm.baseUrl, apiKey: "sk-local", isDefault: true });
  return { tenantId: tenant.id, ownerId: user.id };
}

beforeAll(async () => {
  handle = await createTestDb();
  llm = await startFakeLlmServer();
  kv = createTestKv();
  Object.assign(shop, await workspace("Shop"));
  Object.assign(other, await workspace("Other"));
  const [member] = await handle.db.insert(users).values({ email: "member@example.com", passwordHash: await hashPassword("irrelevant-pass-1"), emailVerifiedAt: new Date() }).returning();
  await handle.db.insert(memberships).values({ tenantId: shop.tenantId, userId: member!.id, role: "member" });
  shop.memberId = member!.id;
});
afterAll(async () => {
  await llm.close();
  await kv.close();
  await handle.dispose();
});
beforeEach(async () => {
  // Straight in the table, so the routers built from the old rows are forgotten by hand.
  await handle.db.delete(modelPrices);
  for (const t of [shop, other]) forgetTenantLlm(t.tenantId);
  llm.reset();
});

async function refusal(p: Promise<unknown>): Promise<string> {
  const error = await p.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe("a model priced nowhere", () => {
  it("answers with the template and status unpriced, then with the model at the tenant's price once its owner sets one, and refuses it again after the price is deleted", async () => {
    const unpriced = await ask(shop.tenantId);
    expect(unpriced.response.text).toContain(FALLBACK);
    expect(unpriced.processing_metadata.model_call).toMatchObject({ status: "unpriced", reason: "llama3 has no price; set its prices on the AI models page" });
    expect(llm.seen).toHaveLength(0);
    expect((await as(shop.ownerId, shop.tenantId).models.prices()).unpriced).toEqual([LLAMA]);

    // Right after the router for this tenant was built and cached: the price must apply at the next message all the same.
    await as(shop.ownerId, shop.tenantId).models.setPrice({ model: LLAMA, input_cents_per_mtok: 200, output_cents_per_mtok: 900 });
    const priced = await ask(shop.tenantId);
    expect(priced.response.text).toBe("We ship to 40 countries; delivery takes 3-7 days.");
    expect(priced.processing_metadata.model_call).toMatchObject({ status: "ok", provider: "openai_compatible", model: "llama3", input_tokens: 42, output_tokens: 12, cost_cents: (42 * 200 + 12 * 900) / 1e6 });
    const view = await as(shop.memberId, shop.tenantId).models.prices();
    expect(view).toMatchObject({ table: { version: "2026-11-01", taken_on: "2026-11-01" }, unpriced: [], prices: [{ model: LLAMA, input_cents_per_mtok: 200, output_cents_per_mtok: 900 }] });
    const [audit] = await handle.db.select().from(auditLog).where(and(eq(auditLog.tenantId, shop.tenantId), eq(auditLog.action, "model_price.set")));
    expect(audit).toMatchObject({ actorUserId: shop.ownerId, targetId: LLAMA });

    await as(shop.ownerId, shop.tenantId).models.deletePrice({ model: LLAMA });
    expect((await ask(shop.tenantId)).processing_metadata.model_call).toMatchObject({ status: "unpriced" });
    expect(llm.seen).toHaveLength(1);
  });

  it("refuses a member's attempt to set or delete a price, and changes nothing", async () => {
    await as(shop.ownerId, shop.tenantId).models.setPrice({ model: LLAMA, input_cents_per_mtok: 1, output_cents_per_mtok: 2 });
    const member = as(shop.memberId, shop.tenantId);
    expect(await refusal(member.models.setPrice({ model: LLAMA, input_cents_per_mtok: 0, output_cents_per_mtok: 0 }))).toBe("FORBIDDEN");
    expect(await refusal(member.models.deletePrice({ model: LLAMA }))).toBe("FORBIDDEN");
    expect((await member.models.prices()).prices).toMatchObject([{ model: LLAMA, input_cents_per_mtok: 1, output_cents_per_mtok: 2 }]);
  });

  it("never applies another tenant's price of the same model, set from the CLI", async () => {
    expect(await COMMANDS["price set"]!(handle.db, { tenant: other.tenantId, model: LLAMA, input_cents_per_mtok: "5", output_cents_per_mtok: "7.5" })).toMatchObject({
      tenant_id: other.tenantId,
      model: LLAMA,
      input_cents_per_mtok: 5,
      output_cents_per_mtok: 7.5,
    });
    expect((await ask(other.tenantId)).processing_metadata.model_call).toMatchObject({ status: "ok", cost_cents: (42 * 5 + 12 * 7.5) / 1e6 });

    const mine = await ask(shop.tenantId);
    expect(mine.response.text).toContain(FALLBACK);
    expect(mine.processing_metadata.model_call).toMatchObject({ status: "unpriced" });
    expect(await as(shop.ownerId, shop.tenantId).models.prices()).toMatchObject({ prices: [], unpriced: [LLAMA] });
    // Nor can the shop delete the other tenant's row: it has no price of its own to delete.
    await expect(as(shop.ownerId, shop.tenantId).models.deletePrice({ model: LLAMA })).rejects.toThrow("No price of yours is set for openai_compatible:llama3.");
    expect(await handle.db.select({ model: modelPrices.model }).from(modelPrices).where(eq(modelPrices.tenantId, other.tenantId))).toEqual([{ model: LLAMA }]);
  });

  it("words a bad price in the field's label, from the dashboard and the CLI", async () => {
    const error = await as(shop.ownerId, shop.tenantId).models.setPrice({ model: "llama3", input_cents_per_mtok: -1, output_cents_per_mtok: Number.NaN }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(z.flattenError((error as TRPCError).cause as z.ZodError).fieldErrors).toEqual({
      model: ["Write each model as provider:model, e.g. openai:gpt-4o-mini"],
      input_cents_per_mtok: ["Input (cents per million tokens) must be at least 0"],
      output_cents_per_mtok: ["Output (cents per million tokens) must be a number"],
    });
    await expect(COMMANDS["price set"]!(handle.db, { tenant: shop.tenantId, model: "llama3", input_cents_per_mtok: "-1", output_cents_per_mtok: "2000000" })).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
      details: {
        "--model": "Write each model as provider:model, e.g. openai:gpt-4o-mini",
        "--input-cents-per-mtok": "Input (cents per million tokens) must be at least 0",
        "--output-cents-per-mtok": "Output (cents per million tokens) must be at most 1000000",
      },
    });
    expect(await handle.db.select().from(modelPrices)).toEqual([]);
  });
});
