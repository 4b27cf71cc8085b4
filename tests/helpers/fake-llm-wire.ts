// The OpenAI and Anthropic wire formats as the real APIs send them (and as node_modules/openai and
// @anthropic-ai/sdk parse them): JSON bodies, SSE events and error bodies.

export type FakeProvider = "openai" | "anthropic";
export type FakeUsage = { input_tokens: number; output_tokens: number };

const created = () => Math.floor(Date.now() / 1000);

export function completionBody(provider: FakeProvider, model: unknown, text: string, usage: FakeUsage): unknown {
  if (provider === "openai") {
    return {
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: created(),
      model,
      choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens },
    };
  }
  return { id: "msg_fake", type: "message", role: "assistant", model, content: [{ type: "text", text }], stop_reason: "end_turn", stop_sequence: null, usage };
}

/** One SSE frame: OpenAI sends bare `data:` lines, Anthropic names every event. */
const frame = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

/** The frames of a streamed answer, split so a caller can pause (or cut the socket) between `deltas`. */
export type StreamFrames = { opening: string[]; deltas: string[]; closing: string[] };

export function streamFrames(provider: FakeProvider, body: Record<string, unknown>, pieces: string[], usage: FakeUsage): StreamFrames {
  if (provider === "openai") {
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: created(), model: body.model, system_fingerprint: "fp_fake", ...(includeUsage && { usage: null }) };
    const choice = (delta: Record<string, unknown>, finish_reason: string | null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] });
    return {
      opening: [frame(choice({ role: "assistant", content: "", refusal: null }, null))],
      deltas: pieces.map((content) => frame(choice({ content }, null))),
      closing: [
        frame(choice({}, "stop")),
        ...(includeUsage ? [frame({ ...base, choices: [], usage: { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.input_tokens + usage.output_tokens } })] : []),
        frame("[DONE]"),
      ],
    };
  }
  const message = { id: "msg_fake", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } };
  return {
    opening: [
      frame({ type: "message_start", message }, "message_start"),
      frame({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
      frame({ type: "ping" }, "ping"),
    ],
    deltas: pieces.map((text) => frame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, "content_block_delta")),
    closing: [
      frame({ type: "content_block_stop", index: 0 }, "content_block_stop"),
      frame({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }, "message_delta"),
      frame({ type: "message_stop" }, "message_stop"),
    ],
  };
}

/** Splits text into `count` pieces at word boundaries (each piece keeps its trailing space), as providers stream it. */
export function splitText(text: string, count: number): string[] {
  const words = text.match(/\S+\s*/g) ?? [text];
  const n = Math.max(1, Math.min(count, words.length));
  const per = Math.ceil(words.length / n);
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += per) pieces.push(words.slice(i, i + per).join(""));
  return pieces;
}

/** Error bodies in each provider's words; 401 quotes part of the key as OpenAI does. */
export function errorBody(provider: FakeProvider, status: number, model: unknown, authorization?: string): unknown {
  if (provider === "openai") {
    const error = (message: string, type: string, code: string | null = null) => ({ error: { message, type, param: null, code } });
    if (status === 429) return error(`Rate limit reached for ${String(model)} on requests per min (RPM): Limit 3, Used 3, Requested 1.`, "requests", "rate_limit_exceeded");
    if (status === 401) return error(`Incorrect API key provided: ${authorization?.slice(7, 14)}***.`, "invalid_request_error", "invalid_api_key");
    if (status === 404) return error(`The model \`${String(model)}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found");
    if (status >= 500) return error("The server had an error while processing your request. Sorry about that!", "server_error");
    return error(`Request failed with status ${status}`, "invalid_request_error");
  }
  const error = (type: string, message: string) => ({ type: "error", error: { type, message } });
  if (status === 429) return error("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");
  if (status === 401) return error("authentication_error", "invalid x-api-key");
  if (status === 404) return error("not_found_error", `model: ${String(model)}`);
  if (status === 529) return error("overloaded_error", "Overloaded");
  if (status >= 500) return error("api_error", "Internal server error");
  return error("invalid_request_error", `Request failed with status ${status}`);
}
