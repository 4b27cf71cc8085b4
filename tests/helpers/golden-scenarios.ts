import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { Db } from "@/db/client";
import { hashPassword } from "@/server/auth/passwords";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import demoFlow from "@/server/flows/demo-flow.json";
import { createProviderConfig } from "@/server/models/provider-configs";
import { tenantLlm } from "@/server/models/tenant-llm";
import { createProviderFetch } from "@/server/models/transport";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import type { FakeAnswer, FakeLlmServer, FakeProvider } from "./fake-llm-server";

// The conversations `npm run cassettes:record` records and the GOLDEN tests replay: both run this code,
// so the requests they make are the same and every replayed request finds its cassette.

/** Where a provider is reached: the fake server (baseUrl on loopback) or the real API (baseUrl null). */
export type ProviderTarget = { baseUrl: string | null; apiKey: string; allowedHosts: string[] };

export const STREAM_PROMPT = "In one short sentence: how long does delivery to Canada take?";
export const STREAM_MODELS: Record<FakeProvider, string> = { openai: "gpt-4o-mini", anthropic: "claude-haiku-4-5" };

/** What the fake server answers when cassettes are recorded against it: paced chunks, so timing can be checked. */
export const FAKE_STREAM_ANSWERS: Record<FakeProvider, FakeAnswer> = {
  openai: { kind: "text", text: "Delivery to Canada takes five to seven working days.", chunks: 5, chunk_delay_ms: 80, usage: { input_tokens: 21, output_tokens: 11 } },
  anthropic: { kind: "text", text: "Parcels reach Canada in five to seven working days.", chunks: 5, chunk_delay_ms: 80, usage: { input_tokens: 23, output_tokens: 12 } },
};

/** One streamed answer through the official client and the provider fetch (so TEST_MODE decides where it comes from). */
export async function streamAnswer(
  provider: FakeProvider,
  target: ProviderTarget,
  /** Lets a test watch the bytes the client receives. */
  tap: (f: typeof globalThis.fetch) => typeof globalThis.fetch = (f) => f,
): Promise<{ deltas: string[]; usage: { input_tokens: number; output_tokens: number } | null }> {
  const fetch = tap(createProviderFetch({ allowedHosts: target.allowedHosts, timeoutMs: 20_000 }));
  const deltas: string[] = [];
  let usage: { input_tokens: number; output_tokens: number } | null = null;
  if (provider === "openai") {
    const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl ?? undefined, fetch, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: STREAM_MODELS.openai, max_tokens: 60, messages: [{ role: "user", content: STREAM_PROMPT }], stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) deltas.push(delta);
      if (chunk.usage) usage = { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens };
    }
    return { deltas, usage };
  }
  const client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseUrl ?? undefined, fetch, maxRetries: 0 });
  const stream = client.messages.stream({ model: STREAM_MODELS.anthropic, max_tokens: 60, messages: [{ role: "user", content: STREAM_PROMPT }] });
  stream.on("text", (delta) => deltas.push(delta));
  const final = await stream.finalMessage();
  return { deltas, usage: { input_tokens: final.usage.input_tokens, output_tokens: final.usage.output_tokens } };
}

/** Questions the demo flow hands to its llm state (general_answer), one turn each. */
export const CONVERSATION = ["Do you ship internationally?", "Do you offer a warranty?", "What payment methods do you accept?"];
export const FAKE_CONVERSATION_ANSWERS = [
  "Yes: we ship to 40 countries, in 3-7 days.",
  "Every product carries a two-year warranty.",
  "Cards, PayPal and bank transfer.",
];

/** A workspace running the demo flow with one OpenAI model connected at `target`. */
export async function createGoldenTenant(db: Db, target: ProviderTarget): Promise<string> {
  const { tenant } = await createTenantWithOwner(db, { companyName: "Golden Goods", email: `golden-${Date.now()}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  const flow = await createFlow(db, tenant.id, null, { name: "demo", definition: demoFlow });
  await publishFlow(db, tenant.id, null, flow.id);
  await createProviderConfig(db, tenant.id, null, { provider: "openai", name: "Main", model: "gpt-4o-mini", baseUrl: target.baseUrl ?? undefined, apiKey: target.apiKey, isDefault: true });
  return tenant.id;
}

/** Sends `texts` in order as one visitor's conversation; the bot's reply text and model per turn. */
export async function converse(db: Db, tenantId: string, target: ProviderTarget, userId: string, texts: string[]) {
  const deps = { db, llmFor: (id: string) => tenantLlm(db, id, target.allowedHosts) };
  const turns: { conversation_id: string; reply: string; model_used: string | null }[] = [];
  for (const text of texts) {
    const result = await processMessage(deps, tenantId, { user_id: userId, channel: "web", content: { type: "text", text } });
    turns.push({ conversation_id: result.conversation_id, reply: result.response.text, model_used: result.processing_metadata.model_used });
  }
  return turns;
}

/** Queues on the fake server what every scenario above asks of it, in the order the record script runs them. */
export function scriptFakeAnswers(llm: FakeLlmServer): void {
  llm.script("openai", FAKE_STREAM_ANSWERS.openai, ...FAKE_CONVERSATION_ANSWERS.map((text): FakeAnswer => ({ kind: "text", text, usage: { input_tokens: 60, output_tokens: 14 } })));
  llm.script("anthropic", FAKE_STREAM_ANSWERS.anthropic);
}
