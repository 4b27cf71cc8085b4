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
test.beforeEach(() => {
  llm.modes.openai = "ok";
});
test.afterAll(async () => {
  await llm.close();
  await mail.close();
});

test("an owner tests a model connection before saving it, and only the tested model ticks the checklist", async ({ page }) => {
  const email = newEmail("models");
  await registerAndVerify(page, mail, email);
  await login(page, email);
  const modelItem = page.getByTestId("checklist-item").filter({ hasText: "Connect an AI model" });
  await expect(modelItem).toHaveAttribute("data-done", "false");
  await modelItem.getByRole("link").click();

  await expect(page.getByTestId("models-page")).toBeVisible();
  await expect(page).toHaveTitle(/AI models/);
  await expect(page.getByTestId("no-models")).toBeVisible();
  await expect(page.getByTestId("model-provider").locator("option")).toHaveText(["OpenAI", "Anthropic", "OpenAI-compatible server"]);
  await page.getByTestId("model-name").fill("Production GPT");
  await page.getByTestId("model-model").fill("gpt-4o-mini");
  await page.getByTestId("model-base-url").fill(llm.baseUrl);
  await page.getByTestId("model-api-key").fill("sk-e2e-wrong-key");

  llm.modes.openai = "unauthorized";
  await page.getByTestId("test-connection").click();
  const result = page.getByTestId("connection-result");
  await expect(result).toHaveText("Not connected: The server refused the API key (401)");
  await expect(result).not.toContainText("sk-e2e");

  llm.modes.openai = "ok";
  await page.getByTestId("model-api-key").fill("sk-e2e-right-key");
  await expect(result).toHaveCount(0);
  await page.getByTestId("test-connection").click();
  await expect(result).toHaveText(/^Connected: gpt-4o-mini answered in \d+ ms$/);
  await page.getByTestId("save-model").click();
  await expect(page.getByTestId("model-saved")).toBeVisible();

  const row = page.getByTestId("model-row").filter({ hasText: "Production GPT" });
  await expect(row).toContainText("OpenAI · gpt-4o-mini");
  await expect(row).toContainText("sk-…-key");
  await expect(row.getByTestId("model-status")).toHaveText("Connected (tested just now)");
  await expect(page.locator("body")).not.toContainText("sk-e2e-right-key");
  await expect(page.locator("body")).not.toContainText("openai_compatible");

  // Removing asks first, in the page; cancelling keeps the model.
  await row.getByTestId("remove-model").click();
  await expect(row.getByTestId("confirm-remove-model")).toBeVisible();
  await row.getByTestId("cancel-remove-model").click();
  await expect(row).toBeVisible();

  await page.goto("/dashboard");
  await expect(page.getByTestId("checklist-item").filter({ hasText: "Connect an AI model" })).toHaveAttribute("data-done", "true");
});

test("editing the model a saved connection calls clears its result until it is tested again from the list", async ({ page }) => {
  const email = newEmail("models-edit");
  await registerAndVerify(page, mail, email);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/models");
  await page.getByTestId("model-name").fill("Backup");
  await page.getByTestId("model-model").fill("gpt-4o-mini");
  await page.getByTestId("model-base-url").fill(llm.baseUrl);
  await page.getByTestId("model-api-key").fill("sk-e2e-backup-key");
  await page.getByTestId("save-model").click();
  const row = page.getByTestId("model-row").filter({ hasText: "Backup" });
  await expect(row.getByTestId("model-status")).toHaveText("Not tested");

  await row.getByTestId("test-model").click();
  await expect(row.getByTestId("model-status")).toHaveText("Connected (tested just now)");

  await row.getByTestId("edit-model").click();
  await expect(page.getByTestId("model-api-key")).toHaveAttribute("placeholder", /sk-…-key/);
  await page.getByTestId("model-model").fill("gpt-4o");
  await page.getByTestId("save-model").click();
  await expect(row).toContainText("OpenAI · gpt-4o ·");
  await expect(row.getByTestId("model-status")).toHaveText("Not tested");

  llm.modes.openai = "model_not_found";
  await row.getByTestId("test-model").click();
  await expect(row.getByTestId("model-status")).toHaveText('Failed: Model not found: the server has no model "gpt-4o"');
});
