import { expect, test } from "@playwright/test";
import { login } from "./support/account";

// The demo workspace is seeded with four weeks of history before the server starts (playwright.config.ts).
const DEMO = { email: "demo@acme.test", password: "demo-password-2026" };
const count = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

test("the analytics page shows the demo's weeks of conversations, and a drill-down opens the matching transcripts", async ({ page }) => {
  await login(page, DEMO.email, DEMO.password);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/analytics");
  const analytics = page.getByTestId("analytics");
  await expect(analytics).toBeVisible();

  // Every figure tile is there, and the seeded month is counted: hundreds of conversations, handoffs answered by people.
  for (const name of ["conversations", "messages", "active-users", "containment-rate", "handoff-rate", "first-response", "not-understood-rate", "latency-p50", "latency-p95", "spend"]) {
    await expect(page.getByTestId(`metric-${name}`)).toBeVisible();
  }
  const value = (name: string) => page.getByTestId(`metric-${name}`).locator("p").nth(1);
  expect(count(await value("conversations").textContent())).toBeGreaterThan(100);
  await expect(value("handoff-rate")).toHaveText(/^\d+(\.\d+)?\s?%$/);
  await expect(value("first-response")).toHaveText(/\d/);

  // The top intents table links each intent to its conversations in the inbox.
  const intents = page.getByTestId("section-intents");
  await expect(intents.getByRole("table")).toContainText("product_search");
  await intents.getByRole("table").getByRole("link", { name: "product_search" }).first().click();
  await expect(page).toHaveURL(/\/dashboard\/inbox\?.*intent=product_search/);
  const rows = page.getByTestId("conversation-row");
  await expect(rows.first()).toBeVisible();
  const shown = await rows.count();
  for (let i = 0; i < Math.min(shown, 10); i++) await expect(rows.nth(i)).toContainText("product_search");

  await rows.first().click();
  const transcript = page.getByTestId("transcript");
  await expect(transcript).toBeVisible();
  // The conversation matched because one of its bot turns recognised the intent (not necessarily the first turn).
  await expect(transcript.getByTestId("bot-turn-details").filter({ hasText: "product_search" }).first()).toBeVisible();
});
