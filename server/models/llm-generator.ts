import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { LlmAnswer, LlmGenerator, LlmRequest } from "../flows/ports";
import { createProviderFetch } from "./transport";
import type { ProviderKind } from "@/db/schema";

export type ProviderSecret = { id: string; provider: ProviderKind; model: string; baseUrl: string | null; apiKey: string };
type Attempt = (req: LlmRequest, timeoutMs: number) => Promise<LlmAnswer>;

export class AllProvidersFailedError extends Error {
  /** `errors` holds what each failed try threw (none for an empty answer), so a caller can say why in plain words. */
  constructor(
    readonly failures: string[],
    readonly errors: unknown[] = [],
  ) {
    super(`Every connected model failed: ${failures.join("; ")}`);
    this.name = "AllProvidersFailedError";
  }
}

function contextPrompt(req: LlmRequest): string {
  const known = Object.entries(req.slots).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return known.length ? `${req.system_prompt}\n\nWhat we know about this customer: ${JSON.stringify(Object.fromEntries(known))}` : req.system_prompt;
}

function attemptFor(p: ProviderSecret, fetchImpl: typeof fetch, timeoutMs: number): Attempt {
  if (p.provider === "anthropic") {
    const client = new Anthropic({ apiKey: p.apiKey, baseURL: p.baseUrl ?? undefined, fetch: fetchImpl, timeout: timeoutMs, maxRetries: 0 });
    return async (req, timeout) => {
      const res = await client.messages.create(
        { model: req.model ?? p.model, system: contextPrompt(req), max_tokens: req.max_tokens ?? 400, messages: [{ role: "user", content: req.prompt }] },
        { timeout, ...(req.signal && { signal: req.signal }) },
      );
      const text = res.content.map((b) => (b.type === "text" ? b.text : "")).join("").trim();
      return { text, model: `anthropic:${res.model}`, usage: { input_tokens: res.usage.input_tokens, output_tokens: res.usage.output_tokens } };
    };
  }
  const client = new OpenAI({ apiKey: p.apiKey, baseURL: p.baseUrl ?? undefined, fetch: fetchImpl, timeout: timeoutMs, maxRetries: 0 });
  return async (req, timeout) => {
    const res = await client.chat.completions.create(
      {
        model: req.model ?? p.model,
        max_tokens: req.max_tokens ?? 400,
        messages: [
          { role: "system", content: contextPrompt(req) },
          { role: "user", content: req.prompt },
        ],
      },
      { timeout, ...(req.signal && { signal: req.signal }) },
    );
    const usage = res.usage ? { input_tokens: res.usage.prompt_tokens, output_tokens: res.usage.completion_tokens } : undefined;
    return { text: res.choices[0]?.message?.content?.trim() ?? "", model: `${p.provider}:${res.model}`, ...(usage && { usage }) };
  };
}

/**
 * Tries the tenant's connected models in order (default first) and returns the first
 * non-empty answer; when all fail the flow engine falls back to the state's template.
 * Each try gets at most `timeoutMs`, and all of them together at most the request's timeout_ms.
 */
export function createLlmGenerator(providers: ProviderSecret[], opts: { allowedHosts: string[]; timeoutMs?: number }): LlmGenerator {
  const timeoutMs = opts.timeoutMs ?? 6000;
  const fetchImpl = createProviderFetch({ allowedHosts: opts.allowedHosts, timeoutMs });
  const attempts = providers.map((p) => ({ label: `${p.provider}:${p.model}`, run: attemptFor(p, fetchImpl, timeoutMs) }));
  return {
    async generate(req) {
      const failures: string[] = [];
      const errors: unknown[] = [];
      const deadline = Date.now() + req.timeout_ms;
      for (const attempt of attempts) {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || req.signal?.aborted) {
          failures.push(`${attempt.label}: not tried, the state's ${req.timeout_ms} ms were used up`);
          continue;
        }
        try {
          const out = await attempt.run(req, Math.min(timeoutMs, remaining));
          if (out.text) return out;
          failures.push(`${attempt.label}: empty answer`);
        } catch (e) {
          failures.push(`${attempt.label}: ${(e as Error).message}`);
          errors.push(e);
        }
      }
      throw new AllProvidersFailedError(failures, errors);
    },
  };
}
