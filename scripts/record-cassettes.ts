// `npm run cassettes:record`: records the cassettes the GOLDEN tests replay (tests/cassettes, or CASSETTE_DIR).
// Real providers for those whose key is in env (OPENAI_API_KEY, ANTHROPIC_API_KEY), the local fake server otherwise.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openDb } from "@/db/client";
import { startFakeLlmServer } from "@/tests/helpers/fake-llm-server";
import { converse, CONVERSATION, createGoldenTenant, scriptFakeAnswers, streamAnswer, type ProviderTarget } from "@/tests/helpers/golden-scenarios";

process.env.TEST_MODE = "RECORD";
// The conversations run on a throwaway embedded database and cache, never on the ones in env.
delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;
delete process.env.UPSTASH_REDIS_REST_URL;
process.env.NEXTAUTH_SECRET ??= "record-cassettes-0123456789abcdef0123456789";
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
const dir = path.resolve(process.env.CASSETTE_DIR ?? "tests/cassettes");
// Recorded aside and swapped in at the end, so a failed run leaves the committed cassettes as they were.
const fresh = mkdtempSync(path.join(tmpdir(), "cassettes-"));
process.env.CASSETTE_DIR = fresh;

const fake = await startFakeLlmServer();
scriptFakeAnswers(fake);
const keys = { openai: process.env.OPENAI_API_KEY, anthropic: process.env.ANTHROPIC_API_KEY };
const fakeTarget = (provider: "openai" | "anthropic"): ProviderTarget => ({
  baseUrl: provider === "openai" ? fake.baseUrl : fake.anthropicBaseUrl,
  apiKey: provider === "openai" ? "sk-fake-recording-key-0001" : "sk-ant-fake-recording-key-0001",
  allowedHosts: [fake.host],
});
const target = (provider: "openai" | "anthropic"): ProviderTarget => {
  const key = keys[provider];
  return key ? { baseUrl: null, apiKey: key, allowedHosts: [] } : fakeTarget(provider);
};
for (const provider of ["openai", "anthropic"] as const) {
  console.log(keys[provider] ? `${provider}: recording against the real API` : `${provider}: no ${provider === "openai" ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"}, recording against the local fake provider server`);
}

const handle = openDb({ pgliteDir: "memory://" });
try {
  await handle.migrate();
  for (const provider of ["openai", "anthropic"] as const) await streamAnswer(provider, target(provider));
  const tenantId = await createGoldenTenant(handle.db, target("openai"));
  const turns = await converse(handle.db, tenantId, target("openai"), "golden-visitor", CONVERSATION);
  const unanswered = turns.filter((t) => !t.model_used);
  if (unanswered.length) throw new Error(`The model did not answer ${unanswered.length} of the conversation's turns: ${unanswered.map((t) => t.reply).join(" | ")}`);
  const written = readdirSync(fresh);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith(".json")) rmSync(path.join(dir, f));
  for (const f of written) copyFileSync(path.join(fresh, f), path.join(dir, f));
  console.log(JSON.stringify({ dir, cassettes: written.length, target: { openai: keys.openai ? "live" : "fake", anthropic: keys.anthropic ? "live" : "fake" } }, null, 2));
} finally {
  await handle.close();
  await fake.close();
  rmSync(fresh, { recursive: true, force: true });
}
