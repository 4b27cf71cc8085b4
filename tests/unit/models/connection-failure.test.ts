import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { describeConnectionFailure, PRIVATE_ADDRESS_MESSAGE, type TestedTarget } from "@/server/models/connection-failure";
import { BlockedDestinationError } from "@/server/security/safe-http";
import { checkDestination } from "@/server/security/ssrf-guard";

// Pure classification of what a test call threw: nothing here opens a connection or resolves a name.
const openai: TestedTarget = { provider: "openai", model: "gpt-4o-mini", baseUrl: null };
const selfHosted: TestedTarget = { provider: "openai_compatible", model: "llama-3", baseUrl: "https://llm.example.com/v1" };
const say = (error: unknown, target = openai) => describeConnectionFailure(error, target, 8000);
const refusal = (target: string) => {
  const verdict = checkDestination(target, []);
  if (verdict.allowed) throw new Error(`${target} was allowed`);
  return new BlockedDestinationError(verdict.reason);
};
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 203.0.113.9:443`), { code });

describe("a failed connection test in plain words", () => {
  it.each(["http://10.0.0.5/v1", "http://169.254.169.254/latest", "http://[::1]:8080/v1", "http://llm.internal/v1"])("calls %s private and points to the operator allowlist", (target) => {
    // As the SDK hands it back: the guard's error wrapped as the cause of a connection error.
    expect(say(new OpenAI.APIConnectionError({ cause: refusal(target) }), selfHosted)).toBe(PRIVATE_ADDRESS_MESSAGE);
  });

  it("says a public name that resolves to a private address is private too (DNS rebinding)", () => {
    expect(say(new BlockedDestinationError("llm.example.com resolves to 10.1.2.3, which is not a public address"), selfHosted)).toBe(PRIVATE_ADDRESS_MESSAGE);
  });

  it("says which scheme is refused instead of calling it private", () => {
    expect(say(refusal("ftp://llm.example.com/v1"), selfHosted)).toBe("Our servers will not call this URL: only http and https URLs can be called");
  });

  it("names the refused key's status, never the provider's text that quotes the key", () => {
    const refused = OpenAI.APIError.generate(401, { error: { message: "Incorrect API key provided: sk-live-abc***wxyz.", code: "invalid_api_key" } }, undefined, new Headers());
    expect(refused.message).toContain("sk-live-abc");
    expect(say(refused)).toBe("The server refused the API key (401)");
    expect(say(Anthropic.APIError.generate(403, { type: "error", error: { type: "permission_error", message: "key sk-ant-123 lacks access" } }, undefined, new Headers()))).toBe("The server refused the API key (403)");
  });

  it("tells an unknown model from a wrong base URL", () => {
    const noModel = OpenAI.APIError.generate(404, { error: { message: "The model `gpt-9` does not exist", code: "model_not_found" } }, undefined, new Headers());
    expect(say(noModel, { ...openai, model: "gpt-9" })).toBe('Model not found: the server has no model "gpt-9"');
    expect(say(OpenAI.APIError.generate(404, { error: { message: "not found" } }, undefined, new Headers()), selfHosted)).toBe("The server has no chat API at this base URL (404)");
  });

  it("words rate limits, server faults and other refusals by status", () => {
    const status = (s: number) => say(OpenAI.APIError.generate(s, { error: { message: "whatever the server said" } }, undefined, new Headers()));
    expect([status(429), status(503), status(400)]).toEqual([
      "The server is limiting requests for this key (429); try again in a minute",
      "The server had a problem answering (503)",
      "The server refused the request (400)",
    ]);
  });

  it("says which host could not be reached and why, the provider's own host when no base URL is saved", () => {
    expect(say(new OpenAI.APIConnectionError({ cause: socketError("ECONNREFUSED") }), selfHosted)).toBe("Could not reach llm.example.com: nothing is listening there");
    expect(say(new Anthropic.APIConnectionError({ cause: socketError("ENOTFOUND") }), { provider: "anthropic", model: "claude-sonnet-5-5", baseUrl: null })).toBe(
      "Could not reach api.anthropic.com: no such host",
    );
    expect(say(new OpenAI.APIConnectionTimeoutError())).toBe("Could not reach api.openai.com: no answer within 8 s");
    expect(say(new OpenAI.APIConnectionError({ cause: new Error("socket hang up") }))).toBe("Could not reach api.openai.com");
  });
});
