import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { createProviderFetch } from "@/server/models/transport";

// TEST_MODE=LIVE_SMOKE: one real, minimal call per provider whose key is in env, through the same
// SSRF-guarded fetch as production. vitest.config.ts leaves tests/live out of every other run; CI has no keys.
const live = process.env.TEST_MODE === "LIVE_SMOKE";
const providers = [
  {
    name: "OpenAI",
    keyEnv: "OPENAI_API_KEY",
    async call(apiKey: string) {
      const client = new OpenAI({ apiKey, fetch: createProviderFetch({ allowedHosts: [], timeoutMs: 30_000 }), maxRetries: 0 });
      const res = await client.chat.completions.create({ model: process.env.OPENAI_SMOKE_MODEL ?? "gpt-4o-mini", max_tokens: 5, messages: [{ role: "user", content: "Say OK." }] });
      return { text: res.choices[0]?.message?.content ?? "", outputTokens: res.usage?.completion_tokens ?? 0 };
    },
  },
  {
    name: "Anthropic",
    keyEnv: "ANTHROPIC_API_KEY",
    async call(apiKey: string) {
      const client = new Anthropic({ apiKey, fetch: createProviderFetch({ allowedHosts: [], timeoutMs: 30_000 }), maxRetries: 0 });
      const res = await client.messages.create({ model: process.env.ANTHROPIC_SMOKE_MODEL ?? "claude-haiku-4-5", max_tokens: 5, messages: [{ role: "user", content: "Say OK." }] });
      return { text: res.content.map((b) => (b.type === "text" ? b.text : "")).join(""), outputTokens: res.usage.output_tokens };
    },
  },
];

describe("live providers (LIVE_SMOKE)", () => {
  for (const p of providers) {
    const apiKey = process.env[p.keyEnv];
    if (!live || !apiKey) {
      const why = `LIVE_SMOKE: set ${live ? "" : "TEST_MODE=LIVE_SMOKE and "}${p.keyEnv} to run the ${p.name} smoke call`;
      // Printed as well: the default reporter lists skipped tests only as a count.
      console.warn(why);
      it.skip(why, () => {});
      continue;
    }
    it(`${p.name} answers a minimal call with text and token usage`, async () => {
      const out = await p.call(apiKey);
      expect(out.text.trim().length).toBeGreaterThan(0);
      expect(out.outputTokens).toBeGreaterThan(0);
    });
  }
});
