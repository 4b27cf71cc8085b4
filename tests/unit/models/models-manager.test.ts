import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ModelsManager } from "@/components/models/models-manager";
import type { ProviderConfigSummary } from "@/server/models/provider-configs";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {} }) }));

const now = new Date("2026-03-01T10:00:00Z");
const model = (over: Partial<ProviderConfigSummary>): ProviderConfigSummary => ({
  id: "3f1e2d4c-0000-4000-8000-000000000001",
  provider: "openai_compatible",
  name: "Local Llama",
  model: "llama-3",
  models: [],
  baseUrl: "https://llm.example.com/v1",
  apiKeyHint: "sk-…1234",
  isDefault: true,
  lastTestedAt: new Date(now.getTime() - 3 * 60_000),
  lastTestOk: true,
  lastTestError: null,
  keyInvalidAt: null,
  keyInvalidReason: null,
  createdAt: now,
  ...over,
});
const models = [model({}), model({ id: "3f1e2d4c-0000-4000-8000-000000000002", provider: "anthropic", name: "Claude", isDefault: false, lastTestOk: false, lastTestError: "The server refused the API key (401)" })];
const render = (canManage: boolean) => renderToStaticMarkup(createElement(ModelsManager, { models, canManage, now }));

describe("the AI models list", () => {
  it("names providers in words and shows each model's connection status", () => {
    const html = render(true);
    expect(html).toContain("OpenAI-compatible server · llama-3");
    expect(html).toContain("Anthropic · llama-3");
    // The stored value may be an option's value, never words on the page.
    expect(html.replace(/<[^>]*>/g, " ")).not.toContain("openai_compatible");
    expect(html).toContain("Connected (tested 3 minutes ago)");
    expect(html).toContain("Failed: The server refused the API key (401)");
  });

  it("lists every model a connection serves and says when the provider refused its key, why and since when", () => {
    const refused = model({ models: ["llama-3-70b"], keyInvalidAt: new Date(now.getTime() - 5 * 60_000), keyInvalidReason: "The server refused the API key (401)" });
    const html = renderToStaticMarkup(createElement(ModelsManager, { models: [refused, models[1]!], canManage: false, now }));
    expect(html).toContain("OpenAI-compatible server · llama-3, llama-3-70b");
    expect(html.match(/data-testid="key-invalid-badge"/g)).toHaveLength(1);
    expect(html.replace(/<[^>]*>/g, "")).toContain("Invalid key The provider refused this key 5 minutes ago: The server refused the API key (401). Bots skip it until you enter a new key (Edit).");
  });

  it("offers owners and admins test, edit, default and remove, and a member none of them", () => {
    const admin = render(true);
    for (const id of ["test-model", "edit-model", "make-default", "remove-model", "model-form", "test-connection"]) expect(admin).toContain(`data-testid="${id}"`);
    const member = render(false);
    for (const id of ["test-model", "edit-model", "make-default", "remove-model", "model-form", "test-connection", "save-model"]) expect(member).not.toContain(`data-testid="${id}"`);
    expect(member).toContain("Owners and admins connect, test and remove models.");
    expect(member).toContain("Connected (tested 3 minutes ago)");
  });
});
