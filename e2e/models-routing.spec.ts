import { expect, test } from "@playwright/test";
import { startFakeLlmServer } from "../tests/helpers/fake-llm-server";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_LLM_PORT, E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let llm: Awaited<ReturnType<typeof startFakeLlmServer>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
  llm = await startFakeLlmServer(E2E_LLM_PORT);
});
test.afterAll(async () => {
  await llm.close();
  await mail.close();
});

test("an owner connects a connection serving two models, orders them in a chain with a budget, and finds both after a reload", async ({ page }) => {
  const email = newEmail("models-routing");
  await registerAndVerify(page, mail, email);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/models");

  // Nothing spent yet: every figure says so in words.
  await expect(page.getByTestId("models-spend-empty")).toHaveText("No spend in the last 30 days: no model has answered yet.");
  await expect(page.getByTestId("budget-usage")).toContainText("No budget set.");
  await expect(page.getByTestId("fallback-rate")).toHaveText("No calls yet");
  await expect(page.getByTestId("routing-chain-empty")).toBeVisible();

  await page.getByTestId("model-name").fill("OpenAI main");
  await page.getByTestId("model-model").fill("gpt-4o-mini, gpt-4o");
  await page.getByTestId("model-base-url").fill(llm.baseUrl);
  await page.getByTestId("model-api-key").fill("sk-e2e-routing-key");
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-result")).toHaveText(/^Connected: gpt-4o-mini answered in \d+ ms$/);
  await page.getByTestId("save-model").click();
  await expect(page.getByTestId("model-row").filter({ hasText: "OpenAI main" })).toContainText("OpenAI · gpt-4o-mini, gpt-4o");

  const routing = page.getByTestId("routing");
  await routing.getByTestId("routing-add-select").selectOption({ label: "OpenAI · gpt-4o" });
  await routing.getByTestId("routing-add").click();
  await routing.getByTestId("routing-add-select").selectOption({ label: "OpenAI · gpt-4o-mini" });
  await routing.getByTestId("routing-add").click();
  // The cheaper model first.
  await routing.getByTestId("routing-entry").nth(1).getByTestId("routing-up").click();
  await routing.getByTestId("routing-max-cost").fill("-2");
  await routing.getByTestId("save-routing").click();
  await expect(routing.getByRole("alert").first()).toContainText("Max cost per request (cents) must be more than 0");
  await routing.getByTestId("routing-max-cost").fill("2.5");
  await routing.getByTestId("routing-budget").fill("500");
  await routing.getByTestId("save-routing").click();
  await expect(routing.getByTestId("routing-saved")).toHaveText("Routing saved.");
  // The page refreshes with the saved policy (the budget card shows it) and the notice is still there.
  await expect(page.getByTestId("budget-usage")).toContainText("0¢ of 500¢ ($5.00) spent this month (0%)");
  await expect(routing.getByTestId("routing-saved")).toHaveText("Routing saved.");
  await expect(routing.getByTestId("routing-max-cost")).toHaveValue("2.5");

  await page.reload();
  const entries = page.getByTestId("routing-entry");
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toHaveAttribute("data-entry", "openai:gpt-4o-mini");
  await expect(entries.nth(0)).toContainText("OpenAI · gpt-4o-mini");
  await expect(entries.nth(1)).toHaveAttribute("data-entry", "openai:gpt-4o");
  await expect(page.getByTestId("routing-max-cost")).toHaveValue("2.5");
  await expect(page.getByTestId("routing-budget")).toHaveValue("500");
  await expect(page.getByTestId("budget-usage")).toContainText("0¢ of 500¢ ($5.00) spent this month (0%)");
  await expect(page.locator("body")).not.toContainText("sk-e2e-routing-key");
});
