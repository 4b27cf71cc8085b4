import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, channels, flows, messages, outboxMessages, users } from "@/db/schema";
import { parseFlags } from "@/server/cli/args";
import { COMMANDS } from "@/server/cli/commands";
import demoFlow from "@/server/flows/demo-flow.json";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";
import { resetEnvForTests } from "@/server/env";
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
  // The in-process `channel set` saves a loopback API base URL, which the SSRF guard admits only when allowed.
  process.env.OUTBOUND_ALLOWED_HOSTS = "127.0.0.1:9999";
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
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

      // The channel and outbox commands run in-process on argv parsed as main.ts parses it: main.ts only prints what they return.
      const argv = (...args: string[]) => parseFlags(args).flags;
      const channel = (await COMMANDS["channel set"]!(handle.db, argv("--tenant", tenant, "--type", "whatsapp", "--phone-number-id", "1555000", "--api-base-url", "http://127.0.0.1:9999/v19.0", "--access-token", "EAAG-secret-token", "--app-secret", "app-secret-1", "--verify-token", "verify-1"))) as Record<string, unknown>;
      expect(channel).toMatchObject({ type: "whatsapp", enabled: true, settings: { phone_number_id: "1555000", api_base_url: "http://127.0.0.1:9999/v19.0" } });
      // What the operator gives Meta: the channel's own webhook URL and, as a hint only, the verify token.
      expect(channel.webhook_url).toBe(`${process.env.APP_URL}/api/webhooks/whatsapp/${channel.public_key}`);
      expect(channel.public_key).toMatch(/^ch_[A-Za-z0-9_-]{22}$/);
      expect(channel.verify_token).toBe("••••");
      expect(JSON.stringify(channel)).not.toMatch(/EAAG-secret-token|verify-1/);
      const [wa] = await handle.db.select().from(channels).where(eq(channels.tenantId, tenant));
      expect(wa?.secretsEnc).not.toContain("EAAG");
      expect(JSON.parse(decryptSecret(wa!.secretsEnc!))).toMatchObject({ access_token: "EAAG-secret-token" });

      const web = (await COMMANDS["channel set"]!(handle.db, argv("--tenant", tenant, "--type", "web", "--title", "Cli help", "--require-verified-identity", "true"))) as Record<string, unknown>;
      expect(web.snippet).toBe(`<script src="${process.env.APP_URL}/widget.js" data-key="${web.public_key}" async></script>`);
      expect(web.settings).toMatchObject({ title: "Cli help", require_verified_identity: true });
      await expect(COMMANDS["outbox retry"]!(handle.db, argv("--tenant", tenant, "--id", "not-an-id"))).rejects.toMatchObject({ message: "Outbox message ID must be a valid UUID", details: { "--id": "Outbox message ID must be a valid UUID" } });
      // Three replies WhatsApp never took, their retries used up.
      for (const n of [1, 2, 3]) await processMessage(pipelineDepsFor(handle.db), tenant, { user_id: `wa:+155500000${n}`, channel: "whatsapp", content: { type: "text", text: "hello" } });
      const replies = await handle.db.select().from(messages).where(and(eq(messages.tenantId, tenant), eq(messages.direction, "outbound")));
      const onePerConversation = [...new Map(replies.map((r) => [r.conversationId, r])).values()];
      const dead = await handle.db
        .insert(outboxMessages)
        .values(onePerConversation.map((r) => ({ tenantId: tenant, channelId: wa!.id, conversationId: r.conversationId, messageId: r.id, sequence: r.sequence, address: { channel_id: wa!.id, recipient: "+1555" }, payload: { type: "text", text: r.text }, state: "dead" as const, attempts: 8, lastError: "503" })))
        .returning({ id: outboxMessages.id });
      const deadIds = dead.map((d) => d.id);
      // A repeated --id names each reply to queue again; the one left out stays dead.
      expect(await COMMANDS["outbox retry"]!(handle.db, argv("--tenant", tenant, "--id", deadIds[0]!, "--id", deadIds[1]!))).toEqual({ retried: 2 });
      const rows = await handle.db.select({ id: outboxMessages.id, state: outboxMessages.state }).from(outboxMessages).where(inArray(outboxMessages.id, deadIds));
      expect(Object.fromEntries(rows.map((r) => [r.id, r.state]))).toEqual({ [deadIds[0]!]: "queued", [deadIds[1]!]: "queued", [deadIds[2]!]: "dead" });
      const [audited] = await handle.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant), eq(auditLog.action, "outbox.retried")));
      expect(audited).toMatchObject({ actorUserId: null, details: { count: 2, scope: "selected", via: "cli", ids: expect.arrayContaining([deadIds[0], deadIds[1]]) } });
    } finally {
      await handle.close();
    }
  });
});
