import { describe, expect, it } from "vitest";
import { runTurn, type TurnStreamEvent } from "@/server/flows/engine";
import { ModelCallFailedError, StreamInterruptedError, type LlmGenerator, type LlmRequest, type ModelCallRecord } from "@/server/flows/ports";
import { buildFlowNlu } from "@/server/pipeline/flow-nlu";
import { defineFlow, NOW } from "./flow-fixtures";

/** A reply, then a model answer: the reply must reach the visitor before the model's first token. */
const flow = defineFlow({
  name: "streamed-faq",
  version: "1",
  initial_state: "intro",
  states: {
    intro: { type: "response", config: { response_templates: { default: "Let me look that up." } }, transitions: [{ condition: "fallback", target_state: "answer" }] },
    answer: {
      type: "llm",
      config: { system_prompt: "You answer for a shop.", fallback_template: "I can't answer that right now.", timeout_ms: 300 },
      transitions: [{ condition: "any_input", target_state: "answer" }],
    },
  },
});

const call = (status: ModelCallRecord["status"]): ModelCallRecord => ({
  status,
  provider: "openai",
  model: "gpt-test",
  fallback_applied: false,
  attempts: [{ provider: "openai", model: "gpt-test", error_class: status === "ok" ? null : "stream_cut", http_status: 200, latency_ms: 5 }],
  input_tokens: 12,
  output_tokens: 3,
  cost_cents: 0.01,
  latency_ms: 5,
  ttft_ms: 1,
  price_table_version: "2026-01-01",
});

/** Streams `deltas` through on_token, one per macrotask as a provider's chunks arrive, then ends as `finish` says. */
function streamingLlm(deltas: string[], finish: (req: LlmRequest, sent: string) => Promise<never> | { text: string } | "hang"): LlmGenerator {
  return {
    async generate(req) {
      let sent = "";
      for (const delta of deltas) {
        await new Promise((r) => setTimeout(r, 1));
        req.on_token?.(delta);
        sent += delta;
      }
      const end = finish(req, sent);
      if (end === "hang") {
        // A provider that keeps writing after the state has given up.
        await new Promise((r) => setTimeout(r, 500));
        req.on_token?.(" late words");
        return new Promise(() => {});
      }
      return end instanceof Promise ? end : { ...end, model: "openai:gpt-test", call: call("ok") };
    },
  };
}

async function streamTurn(llm: LlmGenerator) {
  const events: TurnStreamEvent[] = [];
  const result = await runTurn({ flow, nlu: buildFlowNlu(flow), state: null, input: { type: "text", text: "Do you ship abroad?" }, now: NOW, llm, onEvent: (e) => events.push(e) });
  return { events, result };
}

const intro = { type: "message", index: 0, message: { type: "text", text: "Let me look that up." } };

describe("llm state, streamed", () => {
  it("sends the reply before it as a whole message, then the model's deltas in order, then the complete answer", async () => {
    const { events, result } = await streamTurn(streamingLlm(["We ", "ship ", "worldwide."], () => ({ text: "We ship worldwide." })));
    expect(events).toEqual([
      intro,
      { type: "token", index: 1, state: "answer", delta: "We " },
      { type: "token", index: 1, state: "answer", delta: "ship " },
      { type: "token", index: 1, state: "answer", delta: "worldwide." },
      { type: "message", index: 1, message: { type: "text", text: "We ship worldwide." } },
    ]);
    expect(result.messages.map((m) => m.text)).toEqual(["Let me look that up.", "We ship worldwide."]);
    expect(result.model_used).toBe("openai:gpt-test");
  });

  it("ends a stream cut after its first token with an error event, and stores the partial text marked as cut off", async () => {
    const interrupted = call("stream_interrupted");
    const { events, result } = await streamTurn(
      streamingLlm(["Refunds take ", "five"], (_req, sent) => Promise.reject(new StreamInterruptedError(interrupted, sent))),
    );
    const cutText = "Refunds take five … [The answer was cut off here.]";
    expect(events.slice(3)).toEqual([
      { type: "error", index: 1, state: "answer", code: "MODEL_STREAM_INTERRUPTED", message: "The answer was cut off. Please ask again." },
      { type: "message", index: 1, message: { type: "text", text: cutText } },
    ]);
    expect(result.messages.map((m) => m.text)).toEqual(["Let me look that up.", cutText]);
    expect(result.model_calls).toEqual([interrupted]);
  });

  it("treats the state's deadline passing mid-stream as a cut, and drops tokens that come later", async () => {
    const { events, result } = await streamTurn(streamingLlm(["Our store opens at"], () => "hang"));
    await new Promise((r) => setTimeout(r, 400));
    expect(events.map((e) => e.type)).toEqual(["message", "token", "error", "message"]);
    expect(result.messages[1]!.text).toBe("Our store opens at … [The answer was cut off here.]");
  });

  it("answers with the fallback template, without an error event, when the call fails before any token", async () => {
    const failed = call("failed");
    const { events, result } = await streamTurn(streamingLlm([], () => Promise.reject(new ModelCallFailedError(failed))));
    expect(events).toEqual([intro, { type: "message", index: 1, message: { type: "text", text: "I can't answer that right now." } }]);
    expect(result.model_calls).toEqual([failed]);
    expect(result.model_used).toBeNull();
  });
});
