import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channels, flows, users } from "@/db/schema";
import demoFlow from "@/server/flows/demo-flow.json";
import { decryptSecret } from "@/server/security/crypto";
import { resolveApiKey } from "@/server/tenants/api-keys";
import { createTestDbLocation } from "../helpers/test-db";

const run = promisify(execFile);
let location: Awaited<ReturnType<typeof createTestDbLocation>>;

async function cli(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: "", OUTBOUND_ALLOWED_HOSTS: "127.0.0.1:9999", ...location.env };
  try {
    const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", ...args], { env, cwd: process.cwd() });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (e) {
    const err = e as { code: number; stderr: string };
    return { code: err.code, json: JSON.parse(err.stderr.slice(err.stderr.indexOf("{"))) };
  }
}

beforeAll(async () => {
  location = await createTestDbLocation();
});
afterAll(async () => {
  await location.dispose();
});

describe("operator CLI", () => {
  it("creates a tenant, imports and publishes a flow, and configures a channel, printing JSON", { timeout: 120_000 }, async () => {
    const created = await cli("tenant", "create", "--name", "Cli Co", "--email", "Ops@Cli.test", "--password", "ops-password-42", "--plan", "enterprise");
    expect(created.code).toBe(0);
    expect(created.json).toMatchObject({ tenant_id: expect.any(String), plan: "enterprise", email: "ops@cli.test", api_key: expect.stringMatching(/^cbk_/) });
    const tenant = created.json.tenant_id as string;

    const key = await cli("apikey", "create", "--tenant", tenant, "--name", "ci");
    expect(key.json.api_key).toMatch(/^cbk_/);

    const file = `${tmpdir()}/flow-${Date.now()}.json`;
    writeFileSync(file, JSON.stringify(demoFlow));
    const imported = await cli("flow", "import", "--tenant", tenant, "--file", file, "--publish");
    expect(imported.json).toMatchObject({ published_version: 1, flow_version_id: expect.any(String) });

    const channel = await cli("channel", "set", "--tenant", tenant, "--type", "whatsapp", "--phone-number-id", "1555000", "--api-base-url", "http://127.0.0.1:9999/v19.0", "--access-token", "EAAG-secret-token", "--app-secret", "app-secret-1", "--verify-token", "verify-1");
    expect(channel.json).toMatchObject({ type: "whatsapp", enabled: true, settings: { phone_number_id: "1555000", api_base_url: "http://127.0.0.1:9999/v19.0" } });
    expect(JSON.stringify(channel.json)).not.toContain("EAAG-secret-token");

    const bad = await cli("tenant", "create", "--name", "X", "--email", "not-an-email", "--password", "short");
    expect(bad.code).toBe(1);
    expect(bad.json).toEqual({
      status: "error",
      error: {
        code: "VALIDATION_ERROR",
        message: "Company name must be at least 2 characters",
        details: { "--name": "Company name must be at least 2 characters", "--email": "Email must be a valid email address", "--password": "Password must be at least 10 characters" },
      },
    });

    const handle = location.open();
    try {
      const [user] = await handle.db.select().from(users).where(eq(users.email, "ops@cli.test"));
      expect(user?.emailVerifiedAt).not.toBeNull();
      expect((await resolveApiKey(handle.db, created.json.api_key as string))?.tenantId).toBe(tenant);
      const [flow] = await handle.db.select().from(flows).where(eq(flows.tenantId, tenant));
      expect(flow?.publishedVersionId).toBe(imported.json.flow_version_id);
      const [wa] = await handle.db.select().from(channels).where(eq(channels.tenantId, tenant));
      expect(wa?.secretsEnc).not.toContain("EAAG");
      expect(JSON.parse(decryptSecret(wa!.secretsEnc!))).toMatchObject({ access_token: "EAAG-secret-token" });
    } finally {
      await handle.close();
    }
  });
});
