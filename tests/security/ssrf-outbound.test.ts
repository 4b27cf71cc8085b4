import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { hashPassword } from "@/server/auth/passwords";
import { resetEnvForTests } from "@/server/env";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import demoFlow from "@/server/flows/demo-flow.json";
import { runTurn } from "@/server/flows/engine";
import { flowDefinitionSchema } from "@/server/flows/flow-schema";
import { validateFlow } from "@/server/flows/validate-flow";
import { providerCall } from "@/server/models/router/provider-call";
import { createProviderFetch } from "@/server/models/transport";
import { createProviderConfig, listProviderConfigs } from "@/server/models/provider-configs";
import { tenantLlm } from "@/server/models/tenant-llm";
import { buildFlowNlu } from "@/server/pipeline/flow-nlu";
import { createHttpIntegrationCaller } from "@/server/pipeline/http-integration-caller";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

// Every spelling below reaches 127.0.0.1 (or ::1): if the guard failed, the only socket opened would be on loopback.
const loopbackSpellings = (port: number) => [
  `http://[::ffff:127.0.0.1]:${port}`,
  `http://[::ffff:7f00:1]:${port}`,
  `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}`,
  `http://2130706433:${port}`,
  `http://0177.0.0.1:${port}`,
  `http://0x7f.1:${port}`,
  `http://127.1:${port}`,
  `http://127.0.0.1.:${port}`,
  `http://evil@127.0.0.1:${port}`,
  `http://１２７.０.０.１:${port}`,
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
];

const TENANT_KEY = "sk-tenant-secret-never-sent";
const LLM_FALLBACK = "Good question! I can't answer that one myself yet";

let internal: Server;
let port: number;
let connections = 0;
const seenAuthorization: string[] = [];
let spellings: string[];
let handle: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  internal = createServer((req, res) => {
    seenAuthorization.push(String(req.headers.authorization ?? ""));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ secret: "internal-only" }));
  });
  internal.on("connection", () => connections++);
  await new Promise<void>((resolve) => internal.listen(0, "127.0.0.1", resolve));
  port = (internal.address() as AddressInfo).port;
  spellings = loopbackSpellings(port);
  handle = await createTestDb();
});
afterAll(async () => {
  internal.closeAllConnections();
  await new Promise((resolve) => internal.close(resolve));
  await handle.dispose();
});
beforeEach(() => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
});

function integrationFlow(endpoint: string) {
  return {
    name: "internal-probe",
    version: "1",
    initial_state: "lookup",
    states: {
      lookup: {
        type: "integration",
        config: { integration_id: "orders", endpoint, response_mapping: { leaked: "secret" } },
        transitions: [
          { condition: "integration_success", target_state: "found" },
          { condition: "integration_error", target_state: "unavailable" },
        ],
      },
      found: { type: "response", config: { response_templates: { default: "Answer: {leaked}" }, end: true } },
      unavailable: { type: "response", config: { response_templates: { default: "Our order system is unavailable." }, end: true } },
    },
  };
}

describe("outbound calls to loopback in any spelling never leave the guard", () => {
  it("refuses every spelling in an integration call, and the internal listener sees no connection", async () => {
    const caller = createHttpIntegrationCaller({ allowedHosts: [] });
    for (const base of spellings) {
      const result = await caller.call({ integration_id: "probe", endpoint: `${base}/orders/1`, method: "GET", timeout_ms: 2000 });
      expect([base, result]).toEqual([base, { ok: false, error: expect.stringMatching(/^Outbound request not allowed: /) }]);
    }
    expect(connections).toBe(0);
  });

  it("answers a flow's integration_error branch, never the internal answer, for a flow stored with a mapped endpoint", async () => {
    const flow = flowDefinitionSchema.parse(integrationFlow(`http://[::ffff:127.0.0.1]:${port}/orders`));
    const result = await runTurn({ flow, nlu: buildFlowNlu(flow), state: null, input: { type: "text", text: "where is my order?" }, integrations: createHttpIntegrationCaller({ allowedHosts: [] }) });
    expect(result.messages.map((m) => m.text)).toEqual(["Our order system is unavailable."]);
    expect(JSON.stringify(result.state)).not.toContain("internal-only");
    expect(connections).toBe(0);
  });

  it("refuses every spelling as an OpenAI-compatible base URL through the real openai client, and the tenant's key is never sent", async () => {
    for (const base of spellings) {
      const call = providerCall({ provider: "openai_compatible", baseUrl: `${base}/v1`, apiKey: TENANT_KEY }, createProviderFetch({ allowedHosts: [], timeoutMs: 2000 }));
      const attempt = call({ model: "llama", system: "You are helpful.", prompt: "hi", maxTokens: 32, timeoutMs: 2000 });
      await expect(attempt, base).rejects.toBeInstanceOf(Error);
    }
    expect(connections).toBe(0);
    expect(seenAuthorization).toEqual([]);
  });

  it("answers with the flow's fallback when a stored model connection points at a mapped loopback address", async () => {
    const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Probe Co", email: "probe@ssrf.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    const flow = await createFlow(handle.db, tenant.id, null, { name: "demo", definition: demoFlow });
    await publishFlow(handle.db, tenant.id, null, flow.id);
    // Written straight to the repository, as a row saved before base URLs were checked would be.
    await createProviderConfig(handle.db, tenant.id, null, { provider: "openai_compatible", name: "Sneaky", model: "llama", baseUrl: `http://[::ffff:127.0.0.1]:${port}/v1`, apiKey: TENANT_KEY, isDefault: true });
    const result = await processMessage({ db: handle.db, llmFor: (id) => tenantLlm(handle.db, id, []) }, tenant.id, { user_id: "visitor", channel: "web", content: { type: "text", text: "Do you ship internationally?" } });
    expect(result.response.text).toContain(LLM_FALLBACK);
    expect(result.processing_metadata.model_used).toBeNull();
    expect(connections).toBe(0);
    expect(seenAuthorization).toEqual([]);
  });
});

describe("tenant-supplied URLs are refused when saved", () => {
  it("refuses a model base URL on a private address with a field error, unless the operator allowed that host:port", async () => {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: "Saver Co", email: "saver@ssrf.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    const caller = callerFor({ db: handle.db, kv: createTestKv(), mailer: createCaptureMailer() }, user.id, tenant.id);
    const save = (baseUrl: string) => caller.models.create({ provider: "openai_compatible", name: "Local", model: "llama", baseUrl, apiKey: TENANT_KEY });

    const refusals: [string, string][] = [
      [`http://[::ffff:127.0.0.1]:${port}/v1`, "[::ffff:7f00:1] is a loopback address"],
      ["http://169.254.169.254/v1", "169.254.169.254 is a link-local address (cloud metadata lives here)"],
      [`http://localhost:${port}/v1`, "localhost is a local host name"],
    ];
    for (const [baseUrl, reason] of refusals) {
      const error: unknown = await save(baseUrl).then(() => null, (e: unknown) => e);
      expect(error).toMatchObject({ code: "BAD_REQUEST" });
      // What the dashboard form shows under the field (the tRPC error formatter flattens the same way).
      const cause = (error as { cause?: unknown }).cause;
      expect(cause).toBeInstanceOf(z.ZodError);
      expect(z.flattenError(cause as z.ZodError).fieldErrors).toEqual({ baseUrl: [`Our servers will not call this URL: ${reason}.`] });
    }
    expect(await listProviderConfigs(handle.db, tenant.id)).toEqual([]);

    process.env.OUTBOUND_ALLOWED_HOSTS = `127.0.0.1:${port}`;
    resetEnvForTests();
    await save(`http://127.0.0.1:${port}/v1`);
    await expect(save(`http://[::ffff:127.0.0.1]:${port}/v1`)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await listProviderConfigs(handle.db, tenant.id)).map((p) => p.baseUrl)).toEqual([`http://127.0.0.1:${port}/v1`]);
    expect(connections).toBe(0);
  });

  it("refuses a messaging channel's API base URL on a private address, so its access token is never sent inside", async () => {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: "Channel Co", email: "channel@ssrf.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    const caller = callerFor({ db: handle.db, kv: createTestKv(), mailer: createCaptureMailer() }, user.id, tenant.id);
    const save = (api_base_url: string) =>
      caller.channels.update({ type: "whatsapp", enabled: true, settings: { phone_number_id: "1555000", api_base_url }, secrets: { access_token: "EAAG-token", app_secret: "s", verify_token: "v" } });
    await expect(save(`http://[::ffff:127.0.0.1]:${port}/v19.0`)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { code: "VALIDATION_ERROR", details: { fields: { "settings.api_base_url": "Our servers will not call this URL: [::ffff:7f00:1] is a loopback address." } } },
    });
    await expect(save("http://10.0.0.5/v19.0")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await caller.channels.get({ type: "whatsapp" })).toBeNull();
    expect((await save("https://graph.facebook.com/v19.0")).settings).toMatchObject({ api_base_url: "https://graph.facebook.com/v19.0" });
    expect(connections).toBe(0);
  });

  it("refuses to publish a flow whose integration endpoint is a private literal, naming the state and field", async () => {
    const check = validateFlow(integrationFlow(`http://[::ffff:127.0.0.1]:${port}/orders`));
    expect(check).toMatchObject({ ok: false, issues: [{ code: "blocked_endpoint", state: "lookup", field: "config.endpoint", message: 'State "lookup": Calls to this endpoint would be refused: [::ffff:7f00:1] is a loopback address' }] });

    const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Flow Co", email: "flow@ssrf.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    const flow = await createFlow(handle.db, tenant.id, null, { name: "probe", definition: integrationFlow(`http://169.254.169.254/latest/meta-data/`) });
    await expect(publishFlow(handle.db, tenant.id, null, flow.id)).rejects.toMatchObject({ code: "VALIDATION_ERROR", details: { issues: [expect.objectContaining({ code: "blocked_endpoint", state: "lookup" })] } });
  });

  it("refuses an endpoint whose host comes from a placeholder, and accepts an operator-allowed one", () => {
    expect(validateFlow(integrationFlow("http://{store_host}/orders"))).toMatchObject({ ok: false, issues: [{ code: "invalid_endpoint", state: "lookup", field: "config.endpoint" }] });
    expect(validateFlow(integrationFlow("/orders/{order_number}"))).toMatchObject({ ok: false, issues: [{ code: "invalid_endpoint" }] });
    expect(validateFlow(integrationFlow(`http://127.0.0.1:${port}/orders/{order_number}`), { allowedHosts: [`127.0.0.1:${port}`] })).toMatchObject({ ok: true });
    expect(validateFlow(integrationFlow("https://api.acme.example/orders/{order_number}"))).toMatchObject({ ok: true });
  });
});
