import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { hashPassword } from "@/server/auth/passwords";
import { resetEnvForTests } from "@/server/env";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { startFakeLlmServer } from "../helpers/fake-llm-server";
import { createTestDbLocation } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

const PROVIDER_KEY = "sk-plaintext-provider-key-4711";
const CHANNEL_SECRETS = { access_token: "EAAG-plaintext-channel-token-4712", app_secret: "plaintext-app-secret-4713", verify_token: "plaintext-verify-4714" };
const PLAINTEXTS = [PROVIDER_KEY, ...Object.values(CHANNEL_SECRETS)];

const flow = {
  name: "assistant",
  version: "1",
  initial_state: "answer",
  states: { answer: { type: "llm", config: { system_prompt: "You answer for a shop.", fallback_template: "I can't answer that right now." }, transitions: [{ condition: "any_input", target_state: "answer" }] } },
};

let location: Awaited<ReturnType<typeof createTestDbLocation>>;
let handle: DbHandle;
let llm: Awaited<ReturnType<typeof startFakeLlmServer>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const logged: string[] = [];

/** Every row of every table as JSON (what a backup holds, whichever database runs). */
async function dumpRows(db: DbHandle["db"]): Promise<string> {
  const names = await queryRows<{ table_name: string }>(db, sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  const lines: string[] = [];
  for (const { table_name } of names) {
    const rows = await queryRows<{ row: string }>(db, sql`select row_to_json(t)::text as row from ${sql.identifier(table_name)} t`);
    lines.push(...rows.map((r) => `${table_name} ${r.row}`));
  }
  expect(names.length).toBeGreaterThan(10);
  return lines.join("\n");
}

/** pg_dump of the test database when it is a real Postgres: the backup an operator would keep. */
async function pgDump(): Promise<string | null> {
  const url = location.env.DATABASE_URL;
  if (!url) return null;
  const installed = readdirSync("/usr/lib/postgresql", { withFileTypes: true }).map((d) => `/usr/lib/postgresql/${d.name}/bin/pg_dump`).find((p) => existsSync(p));
  const { stdout } = await promisify(execFile)(installed ?? "pg_dump", ["--data-only", "--no-owner", url], { maxBuffer: 64 * 1024 * 1024 });
  expect(stdout).toContain("COPY public.provider_configs");
  return stdout;
}

beforeAll(async () => {
  location = await createTestDbLocation();
  handle = location.env.DATABASE_URL ? openDb({ databaseUrl: location.env.DATABASE_URL }) : openDb({ pgliteDir: location.env.PGLITE_DIR });
  await handle.migrate();
  llm = await startFakeLlmServer();
  process.env.OUTBOUND_ALLOWED_HOSTS = llm.host;
  resetEnvForTests();
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")));
  }
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await llm.close();
  await kv.close();
  await handle.close();
  await location.dispose();
});

describe("secrets at rest", () => {
  it("keeps provider keys and channel tokens out of every database column, log line and API answer", async () => {
    const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: "Secretive Co", email: `${randomUUID()}@secrets.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    const api = callerFor({ db: handle.db, kv, mailer }, user.id, tenant.id);
    const answers: unknown[] = [];
    const keep = async <T,>(p: Promise<T>) => {
      const value = await p;
      answers.push(value);
      return value;
    };

    const draft = { provider: "openai" as const, model: "gpt-4o-mini", baseUrl: llm.baseUrl, apiKey: PROVIDER_KEY };
    const tested = await keep(api.models.testDraft(draft));
    expect(tested.ok).toBe(true);
    await keep(api.models.create({ ...draft, name: "Main", models: ["gpt-4o"], isDefault: true, testReceipt: tested.receipt }));
    // A refused key is logged and reported too: it must not carry the key either.
    llm.modes.openai = "unauthorized";
    await keep(api.models.testDraft(draft));
    llm.modes.openai = "ok";
    await keep(api.channels.update({ type: "whatsapp", settings: { phone_number_id: "1555000" }, secrets: CHANNEL_SECRETS }));
    const published = await keep(api.flows.create({ name: "assistant", definition: flow }));
    await keep(api.flows.publish({ flowId: published.id }));

    const seenBefore = llm.seen.length;
    const turn = await keep(processMessage(pipelineDepsFor(handle.db), tenant.id, { user_id: "secret-visitor", channel: "web", content: { type: "text", text: "What do you sell?" } }));
    // The turn really called the provider with the key: the key was decrypted and sent, and nowhere else.
    expect(llm.seen.slice(seenBefore).map((s) => s.authorization)).toContain(`Bearer ${PROVIDER_KEY}`);
    expect(turn.conversation_id).toEqual(expect.any(String));
    await keep(api.chat.test({ text: "And what does it cost?" }));

    for (const read of [api.models.list(), api.models.routing(), api.models.spend(), api.channels.list(), api.channels.get({ type: "whatsapp" }), api.tenant.checklist()]) await keep<unknown>(read);

    const haystacks = { "database rows": await dumpRows(handle.db), "pg_dump": (await pgDump()) ?? "", "log lines": logged.join("\n"), "API answers": JSON.stringify(answers) };
    expect(haystacks["database rows"]).toContain("provider_configs");
    expect(haystacks["API answers"]).toContain("sk-…4711");
    const found = Object.entries(haystacks).flatMap(([where, text]) => PLAINTEXTS.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${where}`));
    expect(found).toEqual([]);
  });
});
