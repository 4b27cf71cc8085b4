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

/** A flow's or an llm state's override of the tenant's routing policy; unset fields keep the outer level's. */
export type RoutingOverride = { chain?: string[]; max_cost_cents?: number };

export type LlmRequest = {
  system_prompt: string;
  prompt: string;
  slots: Record<string, unknown>;
  max_tokens?: number;
  model?: string;
  /** The whole generation's budget, across every provider tried. */
  timeout_ms: number;
  signal?: AbortSignal;
  /** The flow's override, then the state's (the state's wins field by field). */
  routing?: RoutingOverride[];
  /** When set, the answer is streamed: each text delta as the provider sends it. */
  on_token?: (delta: string) => void;
};

/** Throwing (provider down, tenant out of budget) makes the state answer with its fallback_template. */
export interface LlmGenerator {
  generate(req: LlmRequest): Promise<LlmAnswer>;
}

/** Tokens as the provider counted them, when it says. */
export type TokenUsage = { input_tokens: number; output_tokens: number };
export type ModelCallStatus = "ok" | "failed" | "stream_interrupted" | "budget_exhausted" | "over_request_cap" | "unpriced" | "no_model";

/** One try of one provider:model within a call. */
export type ModelAttempt = {
  provider: string;
  model: string;
  /** null for the attempt that answered. */
  error_class: "rate_limited" | "server_error" | "timeout" | "connection" | "unauthorized" | "bad_request" | "stream_cut" | "empty" | "circuit_open" | "skipped_cost" | "skipped_budget" | "unpriced" | null;
  http_status: number | null;
  latency_ms: number;
  message?: string;
};

/** What the router records of a call (all its attempts); stored as a model_calls row with the reply. */
export type ModelCallRecord = {
  status: ModelCallStatus;
  provider: string | null;
  model: string | null;
  fallback_applied: boolean;
  attempts: ModelAttempt[];
  input_tokens: number;
  output_tokens: number;
  cost_cents: number;
  latency_ms: number;
  ttft_ms: number | null;
  price_table_version: string;
  /** Plain words for the dashboard and processing_metadata when status is not ok. */
  reason?: string;
  /** Connections whose key the provider refused (401/403) during the call; the turn's closing write marks them. */
  invalid_keys?: { connection_id: string; reason: string }[];
};

export type LlmAnswer = { text: string; model: string; usage?: TokenUsage; call?: ModelCallRecord };

/** Thrown by a generator when no model answered; `call` says why (every attempt, or the budget). */
export class ModelCallFailedError extends Error {
  constructor(readonly call: ModelCallRecord) {
    super(call.reason ?? `No model answered (${call.status})`);
    this.name = "ModelCallFailedError";
  }
}

/**
 * Thrown when a stream broke after its first token: the text already sent cannot be taken back,
 * so the turn must end the stream with an explicit error instead of falling back silently.
 */
export class StreamInterruptedError extends ModelCallFailedError {
  constructor(
    call: ModelCallRecord,
    readonly partialText: string,
  ) {
    super(call);
    this.name = "StreamInterruptedError";
  }
}
