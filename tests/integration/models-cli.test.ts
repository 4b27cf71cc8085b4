import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "@/server/cli/commands";
import { resetEnvForTests } from "@/server/env";
import { listProviderConfigs, loadProviderSecrets } from "@/server/models/provider-configs";
import { loadRoutingPolicy } from "@/server/models/routing-policy";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { runCli } from "../helpers/cli-process";
import { createTestDbLocation } from "../helpers/test-db";

let location: Awaited<ReturnType<typeof createTestDbLocation>>;
let tenantId: string;
const BASE_URL = "http://127.0.0.1:9999/v1";
// As an operator allows its own model server; without it a loopback base URL is refused like any private one.
const ALLOWED = "127.0.0.1:9999";
const cli = (...args: string[]) => runCli({ DATABASE_URL: "", PGLITE_DIR: "", OUTBOUND_ALLOWED_HOSTS: ALLOWED, ...location.env }, ...args);

beforeAll(async () => {
  process.env.OUTBOUND_ALLOWED_HOSTS = ALLOWED;
  resetEnvForTests();
  location = await createTestDbLocation();
  const handle = location.open();
  await handle.migrate();
  ({ tenant: { id: tenantId } } = await createTenantWithOwner(handle.db, { companyName: "Cli Models Co", email: "ops@cli-models.test", passwordHash: "x", verified: true }));
  // A file-backed PGlite has one process at a time: the CLI gets it once this one lets go.
  await handle.close();
}, 60_000);
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await location.dispose();
});

describe("operator CLI for models", () => {
  it("connects a provider with several models and sets the routing from a shell, printing JSON and never the key", { timeout: 180_000 }, async () => {
    const created = await cli("provider", "set", "--tenant", tenantId, "--provider", "openai_compatible", "--base-url", BASE_URL, "--models", "llama-3.1-8b, qwen-2.5", "--api-key", "sk-cli-local-0001", "--name", "Local");
    expect(created).toMatchObject({ code: 0, json: { tenant_id: tenantId, created: true, provider: "openai_compatible", name: "Local", models: ["llama-3.1-8b", "qwen-2.5"], base_url: BASE_URL, api_key_hint: "sk-…0001" } });
    const routing = await cli("routing", "set", "--tenant", tenantId, "--chain", "openai_compatible:qwen-2.5,openai_compatible:llama-3.1-8b", "--max-cost-cents", "2.5", "--monthly-budget-cents", "5000");
    expect(routing).toMatchObject({ code: 0, json: { tenant_id: tenantId, chain: ["openai_compatible:qwen-2.5", "openai_compatible:llama-3.1-8b"], max_cost_cents: 2.5, monthly_budget_cents: 5000 } });
    for (const out of [created, routing]) expect(out.stdout + out.stderr).not.toContain("sk-cli-local");

    // The same commands in this process (a file-backed PGlite has one process at a time, and each start costs seconds).
    const handle = location.open();
    try {
      const update = { tenant: tenantId, provider: "openai_compatible", base_url: BASE_URL, models: "qwen-2.5,llama-3.1-8b,mistral,qwen-2.5", api_key: "sk-cli-local-0002" };
      expect(await COMMANDS["provider set"]!(handle.db, update)).toMatchObject({ created: false, provider_config_id: created.json.provider_config_id, name: "Local", models: ["qwen-2.5", "llama-3.1-8b", "mistral"], api_key_hint: "sk-…0002" });
      const [connection, ...others] = await listProviderConfigs(handle.db, tenantId);
      expect(others).toEqual([]);
      // An operator's key is untested until someone tests it.
      expect(connection).toMatchObject({ model: "qwen-2.5", models: ["llama-3.1-8b", "mistral"], lastTestedAt: null });
      expect((await loadProviderSecrets(handle.db, tenantId)).map((s) => s.apiKey)).toEqual(["sk-cli-local-0002"]);

      await expect(COMMANDS["routing set"]!(handle.db, { tenant: tenantId, chain: "openai:gpt-4o,gpt-4o", max_cost_cents: "-1" })).rejects.toMatchObject({
        code: "VALIDATION_ERROR",
        message: "Write each model as provider:model, e.g. openai:gpt-4o-mini",
        details: { "--chain": "Write each model as provider:model, e.g. openai:gpt-4o-mini", "--max-cost-cents": "Max cost per request (cents) must be more than 0" },
      });
      await expect(COMMANDS["routing set"]!(handle.db, { tenant: tenantId, chain: "openai:gpt-4o" })).rejects.toThrow("Connect openai:gpt-4o first: no connected model serves it.");
      expect(await loadRoutingPolicy(handle.db, tenantId)).toEqual({ chain: ["openai_compatible:qwen-2.5", "openai_compatible:llama-3.1-8b"], max_cost_cents: 2.5, monthly_budget_cents: 5000 });
    } finally {
      await handle.close();
    }
  });
});
