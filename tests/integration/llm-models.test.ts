import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import demoFlow from "@/server/flows/demo-flow.json";
import { createProviderConfig, deleteProviderConfig, listProviderConfigs } from "@/server/models/provider-configs";
import { tenantLlm } from "@/server/models/tenant-llm";
import { processMessage, type PipelineDeps } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { startFakeLlmServer } from "../helpers/fake-llm-server";
import { createTestDb } from "../helpers/test-db";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let llm: Awaited<ReturnType<typeof startFakeLlmServer>>;
let tenantId: string;
const QUESTION = "Do you ship internationally?";
const FALLBACK = "Good question! I can't answer that one myself yet";

const deps = (allowedHosts: string[]): PipelineDeps => ({ db: handle.db, llmFor: (id) => tenantLlm(handle.db, id, allowedHosts) });
const ask = (d: PipelineDeps, user: string) => processMessage(d, tenantId, { user_id: user, channel: "web", content: { type: "text", text: QUESTION } });

beforeAll(async () => {
  handle = await createTestDb();
  llm = await startFakeLlmServer();
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Models Inc", email: "models@example.com", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  tenantId = tenant.id;
  const flow = await createFlow(handle.db, tenantId, null, { name: "demo", definition: demoFlow });
  await publishFlow(handle.db, tenantId, null, flow.id);
});
afterAll(async () => {
  await llm.close();
  await handle.dispose();
});
beforeEach(async () => {
  for (const p of await listProviderConfigs(handle.db, tenantId)) await deleteProviderConfig(handle.db, tenantId, null, p.id);
  llm.modes.openai = "ok";
  llm.modes.anthropic = "ok";
  llm.seen.length = 0;
});

describe("llm states through the tenant's connected models", () => {
  it("answers from the connected OpenAI model with the system prompt and the customer's question", async () => {
    await createProviderConfig(handle.db, tenantId, null, { provider: "openai", name: "Main", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-test-openai", isDefault: true });
    const result = await ask(deps([llm.host]), "curious-1");
    expect(result.response.text).toBe("We ship to 40 countries; delivery takes 3-7 days.");
    expect(result.processing_metadata.model_used).toBe("openai:gpt-4o-mini");
    const call = llm.seen.find((s) => s.path === "/v1/chat/completions")!;
    expect(call.authorization).toBe("Bearer sk-test-openai");
    expect(JSON.stringify(call.body.messages)).toContain("Acme Store's assistant");
    expect(JSON.stringify(call.body.messages)).toContain(`Customer question: ${QUESTION}`);
    // The provider's token counts, priced by the repo's table (gpt-4o-mini: 15¢ in, 60¢ out per million tokens).
    const [reply] = await handle.db.select({ metadata: messages.metadata }).from(messages).where(and(eq(messages.conversationId, result.conversation_id), eq(messages.direction, "outbound")));
    expect(reply!.metadata).toMatchObject({ author: "bot", model_used: "openai:gpt-4o-mini", tokens: { input: 42, output: 12 }, cost_cents: (42 * 15 + 12 * 60) / 1e6 });
  });

  it("falls back to Anthropic when OpenAI answers 429", async () => {
    await createProviderConfig(handle.db, tenantId, null, { provider: "openai", name: "Main", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-test-openai", isDefault: true });
    await createProviderConfig(handle.db, tenantId, null, { provider: "anthropic", name: "Backup", model: "claude-sonnet-4-5", baseUrl: llm.baseUrl.replace(/\/v1$/, ""), apiKey: "sk-ant-test", isDefault: false });
    llm.modes.openai = "rate_limited";
    const result = await ask(deps([llm.host]), "curious-2");
    expect(result.response.text).toBe("Returns are free within 30 days.");
    expect(result.processing_metadata.model_used).toBe("anthropic:claude-sonnet-4-5");
    expect(llm.seen.map((s) => s.path)).toEqual(["/v1/chat/completions", "/v1/messages"]);
    // The SDK sends the key as x-api-key or a bearer token depending on its version.
    expect(llm.seen[1]!.apiKey ?? llm.seen[1]!.authorization).toMatch(/^(Bearer )?sk-ant-test$/);
  });

  it("uses the flow's template when every model fails, and when no model is connected", async () => {
    await createProviderConfig(handle.db, tenantId, null, { provider: "openai_compatible", name: "Local", model: "llama", baseUrl: llm.baseUrl, apiKey: "local", isDefault: true });
    llm.modes.openai = "error";
    const failed = await ask(deps([llm.host]), "curious-3");
    expect(failed.response.text).toContain(FALLBACK);
    expect(failed.processing_metadata.model_used).toBeNull();

    await deleteProviderConfig(handle.db, tenantId, null, (await listProviderConfigs(handle.db, tenantId))[0]!.id);
    const none = await ask(deps([llm.host]), "curious-4");
    expect(none.response.text).toContain(FALLBACK);
  });

  it("never calls a model base URL on a private address that is not explicitly allowed", async () => {
    await createProviderConfig(handle.db, tenantId, null, { provider: "openai", name: "Sneaky", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-test-openai", isDefault: true });
    const result = await ask(deps([]), "curious-5");
    expect(result.response.text).toContain(FALLBACK);
    expect(llm.seen).toHaveLength(0);
  });
});
