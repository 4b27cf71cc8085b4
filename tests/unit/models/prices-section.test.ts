import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { PricesSection } from "@/components/models/prices-section";
import type { ModelPricesView } from "@/server/models/model-prices";

vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => {}, push: () => {} }) }));

const text = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
const view: ModelPricesView = {
  table: { version: "2026-11-01", taken_on: "2026-11-01" },
  prices: [{ model: "openai_compatible:qwen-2.5", input_cents_per_mtok: 12.5, output_cents_per_mtok: 40, updated_at: new Date("2026-12-01T00:00:00Z") }],
  unpriced: ["openai_compatible:llama3"],
};
const render = (over: Partial<ModelPricesView>, canManage: boolean) => renderToStaticMarkup(createElement(PricesSection, { view: { ...view, ...over }, canManage }));

describe("the prices section", () => {
  it("shows the price table's version and date, the tenant's prices, and says which connected model the bot will not use", () => {
    const html = render({}, true);
    const words = text(html);
    expect(words).toContain("built-in price table (version 2026-11-01, prices taken on 2026-11-01)");
    expect(html).toMatch(/data-testid="unpriced-model" data-model="openai_compatible:llama3">llama3 has no price: the bot will not use it until you set one\./);
    expect(html.match(/data-testid="price-row"/g)).toHaveLength(1);
    expect(words).toContain("openai_compatible:qwen-2.5 12.5¢ 40¢");
    for (const id of ["price-form", "save-price", "delete-price", "edit-price", "price-unpriced"]) expect(html).toContain(`data-testid="${id}"`);
    for (const label of ["Model (provider:model)", "Input (cents per million tokens)", "Output (cents per million tokens)"]) expect(html).toContain(`>${label}</label>`);
    // Delete asks first, in the page: nothing but the button until it is pressed.
    expect(html).not.toContain('data-testid="confirm-delete-price"');
  });

  it("shows a member the prices and the warnings with no way to change them", () => {
    const html = render({}, false);
    const words = text(html);
    expect(words).toContain("llama3 has no price: the bot will not use it until you set one.");
    expect(words).toContain("Owners and admins set prices.");
    expect(html).toContain('data-testid="price-row"');
    for (const id of ["price-form", "save-price", "delete-price", "edit-price", "price-unpriced"]) expect(html).not.toContain(`data-testid="${id}"`);
  });

  it("says in words that the tenant set no prices and warns of nothing when every connected model is priced", () => {
    const words = text(render({ prices: [], unpriced: [] }, true));
    expect(words).toContain("You have set no prices: every cost comes from the built-in table.");
    expect(words).not.toContain("has no price");
  });
});
