import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { ProviderKind } from "@/db/schema";
import type { TokenUsage } from "../../flows/ports";

/** Where and with which key a connection calls its provider. */
export type ProviderTarget = { provider: ProviderKind; baseUrl: string | null; apiKey: string };

export type ProviderRequest = {
  model: string;
  system: string;
  prompt: string;
  maxTokens: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Streams the answer: called with each text delta as it arrives. */
  onToken?: (delta: string) => void;
};

/** `model` is the id the provider answered with; `ttftAt` the performance.now() of the first token. */
export type ProviderReply = { text: string; model: string; usage?: TokenUsage; ttftAt: number | null };
export type ProviderCall = (req: ProviderRequest) => Promise<ProviderReply>;

/** A stream that broke (socket dropped, no end event); `partialText` is what had arrived, possibly nothing. */
export class StreamCutError extends Error {
  constructor(
    readonly partialText: string,
    readonly cause?: unknown,
  ) {
    super(partialText ? `The stream broke after ${partialText.length} characters` : "The stream broke before its first token");
    this.name = "StreamCutError";
  }
}

/** Collects deltas, notes the first one's time, and tells a broken stream from an ended one. */
function streamSink(onToken: (delta: string) => void) {
  let text = "";
  let ttftAt: number | null = null;
  return {
    push(delta: string | null | undefined) {
      if (!delta) return;
      ttftAt ??= performance.now();
      text += delta;
      onToken(delta);
    },
    get text() {
      return text;
    },
    get ttftAt() {
      return ttftAt;
    },
    cut: (cause?: unknown) => new StreamCutError(text, cause),
  };
}

// Errors the SDK raises on its own (status, abort, timeout) pass through; only a broken stream becomes StreamCutError.
const isSdkStatusError = (e: unknown) => typeof (e as { status?: unknown })?.status === "number";

function openAiCall(target: ProviderTarget, fetchImpl: typeof fetch): ProviderCall {
  const client = new OpenAI({ apiKey: target.apiKey, baseURL: target.baseUrl ?? undefined, fetch: fetchImpl, maxRetries: 0 });
  const messages = (req: ProviderRequest) => [
    { role: "system" as const, content: req.system },
    { role: "user" as const, content: req.prompt },
  ];
  return async (req) => {
    const options = { timeout: req.timeoutMs, ...(req.signal && { signal: req.signal }) };
    if (!req.onToken) {
      const res = await client.chat.completions.create({ model: req.model, max_tokens: req.maxTokens, messages: messages(req) }, options);
      const usage = res.usage ? { input_tokens: res.usage.prompt_tokens, output_tokens: res.usage.completion_tokens } : undefined;
      return { text: res.choices[0]?.message?.content?.trim() ?? "", model: res.model, ...(usage && { usage }), ttftAt: null };
    }
    const stream = await client.chat.completions.create({ model: req.model, max_tokens: req.maxTokens, messages: messages(req), stream: true, stream_options: { include_usage: true } }, options);
    const sink = streamSink(req.onToken);
    let model = req.model;
    let finished = false;
    let usage: TokenUsage | undefined;
    try {
      for await (const chunk of stream) {
        model = chunk.model || model;
        const choice = chunk.choices[0];
        sink.push(choice?.delta?.content);
        if (choice?.finish_reason) finished = true;
        if (chunk.usage) usage = { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens };
      }
    } catch (error) {
      if (isSdkStatusError(error) && !sink.text) throw error;
      throw sink.cut(error);
    }
    // A stream that stops without a finish reason was cut, even when the socket closed cleanly.
    if (!finished) throw sink.cut();
    return { text: sink.text.trim(), model, ...(usage && { usage }), ttftAt: sink.ttftAt };
  };
}

function anthropicCall(target: ProviderTarget, fetchImpl: typeof fetch): ProviderCall {
  const client = new Anthropic({ apiKey: target.apiKey, baseURL: target.baseUrl ?? undefined, fetch: fetchImpl, maxRetries: 0 });
  return async (req) => {
    const options = { timeout: req.timeoutMs, ...(req.signal && { signal: req.signal }) };
    const body = { model: req.model, system: req.system, max_tokens: req.maxTokens, messages: [{ role: "user" as const, content: req.prompt }] };
    if (!req.onToken) {
      const res = await client.messages.create(body, options);
      const text = res.content.map((b) => (b.type === "text" ? b.text : "")).join("").trim();
      return { text, model: res.model, usage: { input_tokens: res.usage.input_tokens, output_tokens: res.usage.output_tokens }, ttftAt: null };
    }
    const stream = await client.messages.create({ ...body, stream: true }, options);
    const sink = streamSink(req.onToken);
    let model = req.model;
    let stopped = false;
    const usage: TokenUsage = { input_tokens: 0, output_tokens: 0 };
    try {
      for await (const event of stream) {
        if (event.type === "message_start") {
          model = event.message.model || model;
          usage.input_tokens = event.message.usage.input_tokens;
          usage.output_tokens = event.message.usage.output_tokens;
        } else if (event.type === "content_block_delta" && event.delta.type === "text_delta") sink.push(event.delta.text);
        else if (event.type === "message_delta") usage.output_tokens = event.usage.output_tokens;
        else if (event.type === "message_stop") stopped = true;
      }
    } catch (error) {
      if (isSdkStatusError(error) && !sink.text) throw error;
      throw sink.cut(error);
    }
    if (!stopped) throw sink.cut();
    return { text: sink.text.trim(), model, usage, ttftAt: sink.ttftAt };
  };
}

/**
 * One provider's official client (SDK retries off: the router is the only retry loop), called
 * through `fetchImpl` (the SSRF-guarded provider fetch). Streams when the request has onToken.
 */
export function providerCall(target: ProviderTarget, fetchImpl: typeof fetch): ProviderCall {
  return target.provider === "anthropic" ? anthropicCall(target, fetchImpl) : openAiCall(target, fetchImpl);
}
