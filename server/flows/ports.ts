// What the engine needs from the outside world; the pipeline supplies real ones
// (SSRF-guarded fetch, the model router), tests supply fakes.

export type IntegrationRequest = {
  integration_id: string;
  endpoint: string;
  method: string;
  headers?: Record<string, string>;
  /** The rendered request_mapping; for GET/DELETE the caller sends it as query parameters. */
  body?: unknown;
  timeout_ms: number;
  /** Aborted when the turn is abandoned; the caller stops the request so a retry does not repeat it. */
  signal?: AbortSignal;
};

export type IntegrationResponse = { ok: true; status: number; data: unknown } | { ok: false; error: string };

export interface IntegrationCaller {
  call(req: IntegrationRequest): Promise<IntegrationResponse>;
}

export type LlmRequest = {
  system_prompt: string;
  prompt: string;
  slots: Record<string, unknown>;
  max_tokens?: number;
  model?: string;
  /** The whole generation's budget, across every provider tried. */
  timeout_ms: number;
  signal?: AbortSignal;
};

/** Throwing (provider down, tenant out of budget) makes the state answer with its fallback_template. */
export interface LlmGenerator {
  generate(req: LlmRequest): Promise<LlmAnswer>;
}

/** Tokens as the provider counted them, when it says. */
export type TokenUsage = { input_tokens: number; output_tokens: number };
export type LlmAnswer = { text: string; model: string; usage?: TokenUsage };
