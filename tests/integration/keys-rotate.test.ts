import { createCipheriv, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channels, providerConfigs } from "@/db/schema";
import { getChannelSecrets, upsertChannel } from "@/server/channels/channel-service";
import { COMMANDS } from "@/server/cli/commands";
import { resetEnvForTests } from "@/server/env";
import { testSavedModel } from "@/server/models/model-connections";
import { createProviderConfig, loadProviderSecrets } from "@/server/models/provider-configs";
import { decryptSecret } from "@/server/security/crypto";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { startFakeLlmServer } from "../helpers/fake-llm-server";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

const OLD_KEY = randomBytes(32).toString("base64");
const NEW_KEY = randomBytes(32).toString("base64");
const STRANGER_KEY = randomBytes(32).toString("base64");
const OPENAI_KEY = "sk-rotate-openai-0001";
const LEGACY_KEY = "sk-ant-rotate-legacy-0002";
const WA_SECRETS = { access_token: "EAAG-rotate-token", app_secret: "rotate-app-secret", verify_token: "rotate-verify" };

let handle: Awaited<ReturnType<typeof createTestDb>>;
let llm: Awaited<ReturnType<typeof startFakeLlmServer>>;
let tenantId: string;
const kv = createTestKv();

/** The keys the process runs with, as the app (or the operator's `keys rotate`) would be started. */
function useKeys(current: string, previous?: string) {
  process.env.ENCRYPTION_KEY = current;
  process.env.ENCRYPTION_KEY_PREVIOUS = previous ?? "";
  resetEnvForTests();
}

/** The `v1.<iv>.<tag>.<data>` format stored before key ids: rotation must read it too. */
function legacySeal(plain: string, base64Key: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** `npm run cli -- keys rotate` as the operator starts it: the new key, and the old one as the previous. */
function rotate() {
  useKeys(NEW_KEY, OLD_KEY);
  return COMMANDS["keys rotate"]!(handle.db, {});
}
const sealedValues = async () => {
  const [p, c] = await Promise.all([handle.db.select({ v: providerConfigs.apiKeyEnc }).from(providerConfigs), handle.db.select({ v: channels.secretsEnc }).from(channels)]);
  return [...p, ...c].map((r) => r.v!);
};

const savedEnv = { current: process.env.ENCRYPTION_KEY!, previous: process.env.ENCRYPTION_KEY_PREVIOUS };
beforeAll(async () => {
  handle = await createTestDb();
  llm = await startFakeLlmServer();
  useKeys(OLD_KEY);
  ({ tenant: { id: tenantId } } = await createTenantWithOwner(handle.db, { companyName: "Rotate Co", email: "ops@rotate.test", passwordHash: "x", verified: true }));
  await createProviderConfig(handle.db, tenantId, null, { provider: "openai", name: "Main", model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: OPENAI_KEY, isDefault: true });
  const { id } = await createProviderConfig(handle.db, tenantId, null, { provider: "anthropic", name: "Legacy", model: "claude-sonnet-4-5", baseUrl: undefined, apiKey: "replaced-below", isDefault: false });
  await handle.db.update(providerConfigs).set({ apiKeyEnc: legacySeal(LEGACY_KEY, OLD_KEY) }).where(eq(providerConfigs.id, id));
  await upsertChannel(handle.db, tenantId, null, { type: "whatsapp", settings: { phone_number_id: "1555000" }, secrets: WA_SECRETS });
});
afterAll(async () => {
  useKeys(savedEnv.current, savedEnv.previous);
  await kv.close();
  await llm.close();
  await handle.dispose();
});

describe("npm run cli -- keys rotate", () => {
  it("changes nothing when one secret opens with neither key, and names the row", async () => {
    useKeys(STRANGER_KEY);
    const { id: strangerId } = await createProviderConfig(handle.db, tenantId, null, { provider: "openai_compatible", name: "Stranger", model: "llama", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-stranger", isDefault: false });
    const before = await sealedValues();
    await expect(rotate()).rejects.toThrow(
      new RegExp(`^Cannot decrypt the API key of provider connection ${strangerId} with ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS \\(Secret sealed with key [0-9a-f]{8}, which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS\\); nothing was changed\\.$`),
    );
    // One transaction: the rows it re-sealed before reaching the stranger are as they were.
    expect(await sealedValues()).toEqual(before);
    await handle.db.delete(providerConfigs).where(eq(providerConfigs.id, strangerId));
  });

  it("re-encrypts every provider key and channel secret under the new key, and a second run has nothing to do", async () => {
    const first = await rotate();
    expect(first).toEqual({ provider_keys: { rotated: 2, already_current: 0 }, channel_secrets: { rotated: 1, already_current: 0 } });
    expect(await rotate()).toEqual({ provider_keys: { rotated: 0, already_current: 2 }, channel_secrets: { rotated: 0, already_current: 1 } });

    // The new key alone reads everything, and the provider receives the very key that was saved.
    useKeys(NEW_KEY);
    const secrets = await loadProviderSecrets(handle.db, tenantId);
    expect(secrets.map((s) => s.apiKey).sort()).toEqual([LEGACY_KEY, OPENAI_KEY].sort());
    expect(await getChannelSecrets(handle.db, tenantId, "whatsapp")).toEqual(WA_SECRETS);
    const sealed = await sealedValues();
    expect(sealed).toHaveLength(3);
    for (const value of sealed) expect(value).toMatch(/^enc:v1:[0-9a-f]{8}:/);
    llm.seen.length = 0;
    const main = secrets.find((s) => s.apiKey === OPENAI_KEY)!;
    expect(await testSavedModel({ db: handle.db, kv, tenantId, actorUserId: null, allowedHosts: [llm.host] }, main.id)).toMatchObject({ ok: true });
    expect(llm.seen.map((s) => s.authorization)).toEqual([`Bearer ${OPENAI_KEY}`]);

    // The old key opens none of it any more.
    useKeys(OLD_KEY);
    for (const value of sealed) expect(() => decryptSecret(value)).toThrow(/neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS/);
  });
});
