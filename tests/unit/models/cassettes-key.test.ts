import { describe, expect, it } from "vitest";
import { cassetteKey, normaliseRequest, readProviderRequest } from "@/server/models/cassettes/request-key";
import { scrubJson, scrubText } from "@/server/models/cassettes/scrub";

const body = { model: "gpt-4o-mini", max_tokens: 300, messages: [{ role: "user", content: "Do you ship internationally?" }] };
const keyOf = async (url: string, init: { body: string; headers?: Record<string, string>; method?: string }) =>
  (await readProviderRequest(url, { method: init.method ?? "POST", headers: { "content-type": "application/json", ...init.headers }, body: init.body })).key;

describe("a cassette key", () => {
  it("ignores host, port, key order, credentials and headers other than the content type", async () => {
    const base = await keyOf("http://127.0.0.1:4010/v1/chat/completions", { body: JSON.stringify(body), headers: { authorization: "Bearer sk-live-aaaaaaaaaaaa" } });
    const reordered = JSON.stringify({ messages: [{ content: "Do you ship internationally?", role: "user" }], max_tokens: 300, model: "gpt-4o-mini" });
    expect(await keyOf("https://api.openai.com/v1/chat/completions", { body: reordered, headers: { authorization: "Bearer sk-other-bbbbbbbbbbbb", "x-stainless-retry-count": "0", "user-agent": "OpenAI/JS 6" } })).toBe(base);
    expect(await keyOf("http://127.0.0.1:4010/v1/chat/completions", { body: JSON.stringify(body), headers: { "content-type": "application/json; charset=utf-8" } })).toBe(base);
  });

  it("changes with the method, path, query, content type and any part of the body", async () => {
    const url = "http://127.0.0.1:4010/v1/chat/completions";
    const base = await keyOf(url, { body: JSON.stringify(body) });
    const variants = [
      await keyOf(url, { body: JSON.stringify(body), method: "PUT" }),
      await keyOf("http://127.0.0.1:4010/v1/messages", { body: JSON.stringify(body) }),
      await keyOf(`${url}?api-version=2024-10-21`, { body: JSON.stringify(body) }),
      await keyOf(url, { body: JSON.stringify(body), headers: { "content-type": "text/plain" } }),
      await keyOf(url, { body: JSON.stringify({ ...body, model: "gpt-4o" }) }),
      await keyOf(url, { body: JSON.stringify({ ...body, stream: true }) }),
      await keyOf(url, { body: JSON.stringify({ ...body, messages: [{ role: "user", content: "Do you ship to Canada?" }] }) }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it("is the same whichever key a request carries in its query or body (Azure-style api-key, key-shaped text)", async () => {
    const a = normaliseRequest({ method: "POST", url: "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=1&api-key=AAA111", contentType: "application/json", body: JSON.stringify({ ...body, api_key: "first-secret", note: "sk-proj-abc123def456" }) });
    const b = normaliseRequest({ method: "POST", url: "https://y.openai.azure.com/openai/deployments/d/chat/completions?api-key=BBB222&api-version=1", contentType: "application/json", body: JSON.stringify({ ...body, api_key: "second-secret", note: "sk-proj-zzz999yyy888" }) });
    expect(cassetteKey(a)).toBe(cassetteKey(b));
    expect(a.path).toBe("/openai/deployments/d/chat/completions?api-version=1");
    expect(JSON.stringify(a)).not.toMatch(/AAA111|first-secret|sk-proj-abc/);
  });
});

describe("scrubbing", () => {
  it("removes a request's own credentials wherever they echo, and anything key-shaped", () => {
    const known = ["my-plain-credential-123"];
    expect(scrubText("key my-plain-credential-123 / Bearer abc.def-123456 / sk-ant-api03-XYZ / Incorrect API key provided: sk-proj***.", known)).toBe(
      "key [scrubbed] / [scrubbed] / [scrubbed] / Incorrect API key provided: [scrubbed].",
    );
    expect(scrubJson({ password: "hunter22", max_tokens: 5, nested: [{ access_token: "t", text: "risk-free task-list" }] })).toEqual({ max_tokens: 5, nested: [{ access_token: "[scrubbed]", text: "risk-free task-list" }], password: "[scrubbed]" });
  });
});
