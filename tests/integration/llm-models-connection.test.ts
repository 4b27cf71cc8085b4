import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { memberships, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { resetEnvForTests } from "@/server/env";
import { PRIVATE_ADDRESS_MESSAGE } from "@/server/models/connection-failure";
import { MODEL_TESTS_PER_MINUTE } from "@/server/models/model-connections";
import { createProviderConfig } from "@/server/models/provider-configs";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { startFakeLlmServer } from "../helpers/fake-llm-server";
import { freePort } from "../helpers/free-port";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let llm: Awaited<ReturnType<typeof startFakeLlmServer>>;
let deadPort: number;
const kv = createTestKv();
const mailer = createCaptureMailer();
const CONNECTED = /^Connected: gpt-4o-mini answered in \d+ ms$/;

async function workspace(company: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email: `${randomUUID()}@models.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  return { tenantId: tenant.id, userId: user.id, api: callerFor({ db: handle.db, kv, mailer }, user.id, tenant.id) };
}
type Api = Awaited<ReturnType<typeof workspace>>["api"];
const modelItemDone = async (api: Api) => (await api.tenant.checklist()).find((i) => i.key === "model")?.done;
const onlyModel = async (api: Api) => (await api.models.list())[0]!;

beforeAll(async () => {
  handle = await createTestDb();
  llm = await startFakeLlmServer();
  deadPort = await freePort();
  // As an operator would allow its own model server; the dead port is allowed so only "nothing listens" stops the call.
  process.env.OUTBOUND_ALLOWED_HOSTS = `${llm.host},127.0.0.1:${deadPort}`;
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await llm.close();
  await kv.close();
  await handle.dispose();
});
beforeEach(() => {
  llm.modes.openai = "ok";
  llm.modes.anthropic = "ok";
  llm.seen.length = 0;
});

describe("testing a model connection before and after saving", () => {
  it("connects a good OpenAI key, keeps the passing result when those values are saved, and ticks the checklist", async () => {
    const { api } = await workspace("Good Key Co");
    const values = { provider: "openai" as const, model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-good-key-1234" };
    expect(await modelItemDone(api)).toBe(false);

    const tested = await api.models.testDraft(values);
    expect(tested).toMatchObject({ ok: true, message: expect.stringMatching(CONNECTED) });
    const call = llm.seen.find((s) => s.path === "/v1/chat/completions")!;
    expect(call.authorization).toBe("Bearer sk-good-key-1234");
    expect(call.body.model).toBe("gpt-4o-mini");
    // Testing alone saves nothing and counts for nothing.
    expect(await api.models.list()).toEqual([]);

    // The receipt holds for exactly the tested values: saving another key with it stores no result.
    await api.models.create({ ...values, name: "Other key", apiKey: "sk-other-key-5678", testReceipt: tested.receipt });
    expect(await onlyModel(api)).toMatchObject({ name: "Other key", lastTestedAt: null, lastTestOk: null });
    expect(await modelItemDone(api)).toBe(false);
    await api.models.remove({ id: (await onlyModel(api)).id });

    await api.models.create({ ...values, name: "Main", testReceipt: tested.receipt });
    expect(await onlyModel(api)).toMatchObject({ name: "Main", provider: "openai", isDefault: true, lastTestOk: true, lastTestError: null, lastTestedAt: expect.any(Date), apiKeyHint: "sk-…1234" });
    expect(JSON.stringify(await api.models.list())).not.toContain("sk-good-key-1234");
    expect(await modelItemDone(api)).toBe(true);

    // Another workspace cannot use that receipt for the same values.
    const other = await workspace("Receipt Thief Co");
    await other.api.models.create({ ...values, name: "Main", testReceipt: tested.receipt });
    expect(await onlyModel(other.api)).toMatchObject({ lastTestOk: null });
    expect(await modelItemDone(other.api)).toBe(false);
  });

  it("says a refused key was refused (401) without quoting it, saves it as failed, and connects once the key is replaced", async () => {
    const { api } = await workspace("Wrong Key Co");
    llm.modes.openai = "unauthorized";
    const values = { provider: "openai" as const, model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-wrong-key-9999" };
    const refused = await api.models.testDraft(values);
    expect({ ok: refused.ok, message: refused.message }).toEqual({ ok: false, message: "The server refused the API key (401)" });
    expect(JSON.stringify(refused)).not.toContain("sk-wron");

    await api.models.create({ ...values, name: "Main", testReceipt: refused.receipt });
    const saved = await onlyModel(api);
    expect(saved).toMatchObject({ lastTestOk: false, lastTestError: "The server refused the API key (401)" });
    expect(await modelItemDone(api)).toBe(false);

    llm.modes.openai = "ok";
    const edit = { id: saved.id, provider: "openai" as const, model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-right-key-0000" };
    const fixed = await api.models.testDraft(edit);
    expect(fixed.message).toMatch(CONNECTED);
    expect(llm.seen.at(-1)!.authorization).toBe("Bearer sk-right-key-0000");
    await api.models.update({ ...edit, name: "Main", testReceipt: fixed.receipt });
    expect(await onlyModel(api)).toMatchObject({ lastTestOk: true, lastTestError: null, apiKeyHint: "sk-…0000" });
    expect(await modelItemDone(api)).toBe(true);
  });

  it("re-tests a saved Anthropic model from the list, keeps the result on a rename and clears it when the model changes", async () => {
    const { api } = await workspace("Anthropic Co");
    const anthropicBase = llm.baseUrl.replace(/\/v1$/, "");
    await api.models.create({ provider: "anthropic", name: "Claude", model: "claude-sonnet-5-5", baseUrl: anthropicBase, apiKey: "sk-ant-key-4321" });
    const saved = await onlyModel(api);
    expect(saved).toMatchObject({ lastTestedAt: null, lastTestOk: null });

    expect(await api.models.test({ id: saved.id })).toMatchObject({ ok: true, message: expect.stringMatching(/^Connected: claude-sonnet-5-5 answered in \d+ ms$/) });
    expect(llm.seen.map((s) => s.path)).toEqual(["/v1/messages"]);
    expect(llm.seen[0]!.apiKey ?? llm.seen[0]!.authorization).toMatch(/^(Bearer )?sk-ant-key-4321$/);
    expect(await onlyModel(api)).toMatchObject({ lastTestOk: true });

    await api.models.update({ id: saved.id, name: "Claude (support)", model: "claude-sonnet-5-5", baseUrl: anthropicBase });
    expect(await onlyModel(api)).toMatchObject({ name: "Claude (support)", lastTestOk: true, apiKeyHint: "sk-…4321" });

    await api.models.update({ id: saved.id, name: "Claude (support)", model: "claude-opus-5-5", baseUrl: anthropicBase });
    expect(await onlyModel(api)).toMatchObject({ model: "claude-opus-5-5", lastTestedAt: null, lastTestOk: null });
    expect(await modelItemDone(api)).toBe(false);

    llm.modes.anthropic = "model_not_found";
    expect(await api.models.test({ id: saved.id })).toMatchObject({ ok: false, message: 'Model not found: the server has no model "claude-opus-5-5"' });
    expect(await onlyModel(api)).toMatchObject({ lastTestOk: false, lastTestError: 'Model not found: the server has no model "claude-opus-5-5"' });
  });

  it("is not connected to an OpenAI-compatible server that is down or has no such model", async () => {
    const { api } = await workspace("Self-hosted Co");
    const down = await api.models.testDraft({ provider: "openai_compatible", model: "llama-3", baseUrl: `http://127.0.0.1:${deadPort}/v1`, apiKey: "local-key" });
    expect({ ok: down.ok, message: down.message }).toEqual({ ok: false, message: `Could not reach 127.0.0.1:${deadPort}: nothing is listening there` });

    llm.modes.openai = "model_not_found";
    const missing = await api.models.testDraft({ provider: "openai_compatible", model: "llama-3", baseUrl: llm.baseUrl, apiKey: "local-key" });
    expect({ ok: missing.ok, message: missing.message }).toEqual({ ok: false, message: 'Model not found: the server has no model "llama-3"' });
    expect(llm.seen.map((s) => s.body.model)).toEqual(["llama-3"]);
  });
});

describe("what a test may reach and who may run it", () => {
  it("refuses a private address the operator has not allowed, before connecting, for a saved model and for typed values", async () => {
    const { api, tenantId } = await workspace("Sneaky Co");
    // The fake server's own port in a spelling the allowlist does not name: still loopback, so the guard must refuse it.
    const sneaky = llm.baseUrl.replace("127.0.0.1", "[::ffff:127.0.0.1]");
    // Written straight to the repository, as a row saved before the operator narrowed the allowlist would be.
    const { id } = await createProviderConfig(handle.db, tenantId, null, { provider: "openai_compatible", name: "Sneaky", model: "llama", baseUrl: sneaky, apiKey: "sk-never-sent", isDefault: true });
    expect(await api.models.test({ id })).toMatchObject({ ok: false, message: PRIVATE_ADDRESS_MESSAGE });
    expect(await onlyModel(api)).toMatchObject({ lastTestOk: false, lastTestError: PRIVATE_ADDRESS_MESSAGE });

    await expect(api.models.testDraft({ provider: "openai_compatible", model: "llama", baseUrl: sneaky, apiKey: "sk-never-sent" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(llm.seen).toEqual([]);
  });

  it("sends a stored key to a new base URL only when it is typed again", async () => {
    const { api } = await workspace("Moving Co");
    await api.models.create({ provider: "openai_compatible", name: "Local", model: "llama", baseUrl: llm.baseUrl, apiKey: "sk-stored-key-1111" });
    const { id } = await onlyModel(api);
    const moved = { id, provider: "openai_compatible" as const, model: "llama", baseUrl: `http://127.0.0.1:${deadPort}/v1` };
    const retype = { code: "BAD_REQUEST", cause: { details: { fields: { apiKey: "Enter the API key again to use it with a new base URL" } } } };
    await expect(api.models.testDraft(moved)).rejects.toMatchObject(retype);
    await expect(api.models.update({ ...moved, name: "Local" })).rejects.toMatchObject(retype);
    expect(await onlyModel(api)).toMatchObject({ baseUrl: llm.baseUrl });

    // The same base URL with a blank key tests the stored key, and saving that edit keeps the result.
    const kept = { ...moved, baseUrl: llm.baseUrl, apiKey: "" };
    const tested = await api.models.testDraft(kept);
    expect(tested.message).toMatch(/^Connected: llama answered/);
    expect(llm.seen.map((s) => s.authorization)).toEqual(["Bearer sk-stored-key-1111"]);
    await api.models.update({ ...kept, name: "Local", testReceipt: tested.receipt });
    expect(await onlyModel(api)).toMatchObject({ lastTestOk: true, apiKeyHint: "sk-…1111" });
  });

  it(`refuses the test after ${MODEL_TESTS_PER_MINUTE} in a minute in one workspace, and not in another`, async () => {
    const busy = await workspace("Scanner Co");
    const missing = randomUUID();
    for (let i = 0; i < MODEL_TESTS_PER_MINUTE; i++) await expect(busy.api.models.test({ id: missing })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(busy.api.models.testDraft({ provider: "openai", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-scan" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Too many connection tests in a minute; wait a moment and try again.",
    });
    expect(llm.seen).toEqual([]);
    const calm = await workspace("Calm Co");
    await expect(calm.api.models.test({ id: missing })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets a member list models but not test, edit, choose the default or remove them", async () => {
    const { api, tenantId } = await workspace("Members Co");
    await api.models.create({ provider: "openai", name: "Main", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-team-key-2222" });
    const { id } = await onlyModel(api);
    const [member] = await handle.db.insert(users).values({ email: `${randomUUID()}@models.test`, passwordHash: "x", emailVerifiedAt: new Date() }).returning();
    await handle.db.insert(memberships).values({ tenantId, userId: member!.id, role: "member" });
    const asMember = callerFor({ db: handle.db, kv, mailer }, member!.id, tenantId);

    expect((await asMember.models.list()).map((m) => m.name)).toEqual(["Main"]);
    for (const attempt of [
      () => asMember.models.test({ id }),
      () => asMember.models.testDraft({ id, provider: "openai", model: "gpt-4o-mini", baseUrl: llm.baseUrl }),
      () => asMember.models.update({ id, name: "Mine", model: "gpt-4o-mini", baseUrl: llm.baseUrl }),
      () => asMember.models.setDefault({ id }),
      () => asMember.models.remove({ id }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(llm.seen).toEqual([]);
    expect(await onlyModel(api)).toMatchObject({ name: "Main", lastTestedAt: null });
  });

  it("keeps exactly one default: choosing another moves it, removing the default hands it on", async () => {
    const { api } = await workspace("Default Co");
    await api.models.create({ provider: "openai", name: "First", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: "sk-first-key" });
    await api.models.create({ provider: "anthropic", name: "Second", model: "claude-sonnet-5-5", apiKey: "sk-second-key" });
    const byName = async () => Object.fromEntries((await api.models.list()).map((m) => [m.name, m]));
    expect((await api.models.list()).map((m) => [m.name, m.isDefault])).toEqual([["First", true], ["Second", false]]);

    await api.models.setDefault({ id: (await byName()).Second!.id });
    expect((await api.models.list()).map((m) => [m.name, m.isDefault])).toEqual([["Second", true], ["First", false]]);

    await api.models.remove({ id: (await byName()).Second!.id });
    expect((await api.models.list()).map((m) => [m.name, m.isDefault])).toEqual([["First", true]]);
  });
});
