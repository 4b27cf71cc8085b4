import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerConfigs } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { loadRoutingPolicy } from "@/server/models/routing-policy";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const KEY = "sk-connections-key-0001";

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("a connection serving several models", () => {
  it("stores its further models once each, lets a chain name any of them, and shows an invalid key until the key is replaced", async () => {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: "Many Models Co", email: `${randomUUID()}@connections.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    const api = callerFor({ db: handle.db, kv, mailer }, user.id, tenant.id);
    const { id } = await api.models.create({ provider: "openai", name: "Main", model: "gpt-4o-mini", models: ["gpt-4o", "gpt-4o-mini", "gpt-4o", "o3-mini"], apiKey: KEY });
    const [listed] = await api.models.list();
    expect(listed).toMatchObject({ model: "gpt-4o-mini", models: ["gpt-4o", "o3-mini"], keyInvalidAt: null, keyInvalidReason: null });
    expect(JSON.stringify(await api.models.list())).not.toContain(KEY);

    await api.models.saveRouting({ chain: ["openai:o3-mini", "openai:gpt-4o-mini"], max_cost_cents: null, monthly_budget_cents: null });
    expect((await loadRoutingPolicy(handle.db, tenant.id)).chain).toEqual(["openai:o3-mini", "openai:gpt-4o-mini"]);

    // As the router marks a key the provider refused in a real call.
    const refusedAt = new Date("2026-12-01T10:00:00Z");
    await handle.db.update(providerConfigs).set({ keyInvalidAt: refusedAt, keyInvalidReason: "The server refused the API key (401)" }).where(eq(providerConfigs.id, id));
    await api.models.update({ id, name: "Renamed", model: "gpt-4o-mini", models: ["o3-mini"] });
    expect((await api.models.list())[0]).toMatchObject({ name: "Renamed", models: ["o3-mini"], keyInvalidAt: refusedAt, keyInvalidReason: "The server refused the API key (401)" });

    await api.models.update({ id, name: "Renamed", model: "gpt-4o-mini", models: ["o3-mini"], apiKey: "sk-connections-key-0002" });
    expect((await api.models.list())[0]).toMatchObject({ apiKeyHint: "sk-…0002", keyInvalidAt: null, keyInvalidReason: null });
  });
});
