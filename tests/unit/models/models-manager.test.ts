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
  baseUrl: "https://llm.example.com/v1",
  apiKeyHint: "sk-…1234",
  isDefault: true,
  lastTestedAt: new Date(now.getTime() - 3 * 60_000),
  lastTestOk: true,
  lastTestError: null,
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

  it("offers owners and admins test, edit, default and remove, and a member none of them", () => {
    const admin = render(true);
    for (const id of ["test-model", "edit-model", "make-default", "remove-model", "model-form", "test-connection"]) expect(admin).toContain(`data-testid="${id}"`);
    const member = render(false);
    for (const id of ["test-model", "edit-model", "make-default", "remove-model", "model-form", "test-connection", "save-model"]) expect(member).not.toContain(`data-testid="${id}"`);
    expect(member).toContain("Owners and admins connect, test and remove models.");
    expect(member).toContain("Connected (tested 3 minutes ago)");
  });
});
