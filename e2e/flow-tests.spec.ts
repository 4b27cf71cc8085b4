import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { node } from "./support/canvas";
import { say } from "./support/chat";
import { createFlow } from "./support/flows";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

const QUESTION = "when will my parcel ship";
const OLD_REPLY = "Parcels ship within 2 days.";
const NEW_REPLY = "Parcels ship tomorrow.";

const helpDesk = {
  name: "help desk",
  version: "1.0",
  initial_state: "route",
  intents: {
    shipping: { examples: ["when will my parcel ship", "where is my package", "delivery time", "track my shipment", "has my parcel shipped"] },
    billing: { examples: ["question about my invoice", "I was charged twice", "billing problem", "my bill is wrong", "invoice amount"] },
  },
  states: {
    route: {
      type: "intent",
      config: { intent_patterns: ["shipping", "billing"] },
      transitions: [
        { condition: "intent_match", condition_value: "shipping", target_state: "shipping", priority: 10 },
        { condition: "intent_match", condition_value: "billing", target_state: "billing", priority: 20 },
        { condition: "fallback", target_state: "billing", priority: 30 },
      ],
    },
    shipping: { type: "response", config: { response_templates: { default: OLD_REPLY } }, transitions: [{ condition: "any_input", target_state: "route" }] },
    billing: { type: "response", config: { response_templates: { default: "Our billing team will write back." } }, transitions: [{ condition: "any_input", target_state: "route" }] },
  },
};

const dialog = (page: Page) => page.getByTestId("publish-dialog");

test("a flow change that breaks a saved test case blocks publishing", async ({ page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const email = newEmail("flow-tests");
  await registerAndVerify(page, mail, email, "Gatekeeper Goods");
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();

  // The help desk goes live as v1: with no test cases yet, publishing says so and goes ahead.
  const editor = await createFlow(page, "Help desk", helpDesk);
  await page.goto(editor);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.getByTestId("publish-flow").click();
  await expect(dialog(page).getByTestId("no-test-cases")).toBeVisible();
  await dialog(page).getByTestId("confirm-publish").click();
  await expect(page.getByTestId("flow-status")).toHaveText("Published as version 1. New conversations get it from now on.");

  // A conversation in the test widget, saved as a test case from its transcript in the inbox.
  await page.goto("/dashboard");
  await page.getByTestId("test-widget").click();
  expect(await say(page, QUESTION)).toEqual([OLD_REPLY]);
  await page.goto("/dashboard/inbox");
  await page.getByTestId("conversation-row").first().click();
  await expect(page.getByTestId("transcript")).toContainText(OLD_REPLY);
  await page.getByTestId("test-case-name").fill("Parcel question");
  await page.getByTestId("save-test-case").click();
  await expect(page.getByTestId("test-case-saved")).toHaveText("Saved as test case “Parcel question”");

  // The shipping reply is reworded in the builder.
  await page.goto(editor);
  await page.getByTestId("fit-view").click();
  await node(page, "shipping").click();
  await page.getByTestId("state-panel").locator('[data-field="config.response_templates.default"]').fill(NEW_REPLY);
  await expect(node(page, "shipping")).toContainText("Parcels ship tomorrow");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  // Publishing runs the case against the draft: it fails on the first turn, with the difference in words.
  await page.getByTestId("publish-flow").click();
  const result = dialog(page).getByTestId("test-case-result");
  await expect(result).toHaveCount(1);
  await expect(result).toContainText("Parcel question: failed");
  await expect(result).toContainText(`Turn 1: expected reply “${OLD_REPLY}”, got “${NEW_REPLY}”`);
  const metrics = dialog(page).getByTestId("intent-metrics");
  await expect(metrics.getByRole("row", { name: /shipping/ })).toContainText("1.00");

  // Refused until the admin confirms.
  await dialog(page).getByTestId("confirm-publish").click();
  await expect(dialog(page).getByTestId("publish-error")).toHaveText("1 of 1 test case failed against this draft, so it was not published. Check the differences, then fix the flow or publish anyway.");
  await expect(dialog(page)).toBeVisible();
  await dialog(page).getByTestId("publish-anyway").click();
  await expect(page.getByTestId("flow-status")).toHaveText("Published as version 2. New conversations get it from now on. 1 test case failed against it.");

  // The builder's Tests tab lists the case and runs it against the draft on demand; deleting it asks first.
  await page.getByTestId("tab-tests").click();
  const panel = page.getByTestId("test-cases-panel");
  const row = panel.getByTestId("test-case-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Parcel question");
  await expect(row).toContainText("1 turn");
  await expect(row.getByRole("link", { name: "Source conversation" })).toHaveAttribute("href", /^\/dashboard\/inbox\/[0-9a-f-]{36}$/);
  await panel.getByTestId("run-test-cases").click();
  const rerun = panel.getByTestId("test-case-result");
  await expect(rerun).toContainText("Parcel question: failed");
  await expect(rerun).toContainText(`Turn 1: expected reply “${OLD_REPLY}”, got “${NEW_REPLY}”`);
  await row.getByTestId("delete-test-case").click();
  await row.getByTestId("confirm-delete-test-case").click();
  await expect(panel.getByTestId("no-saved-test-cases")).toContainText("Save a conversation as a test case from its transcript in the Inbox");

  // The conversation itself replays from its transcript: against the draft the reply changed, against version 1 it matches.
  await page.goto("/dashboard/inbox");
  await page.getByTestId("conversation-row").first().click();
  await page.getByTestId("replay-target").selectOption("draft");
  await page.getByTestId("replay-conversation").click();
  const replay = page.getByTestId("replay-result");
  await expect(replay.getByTestId("replay-summary")).toHaveText("1 of 1 turn differs");
  await expect(replay.getByTestId("replay-turn")).toContainText("Reply changed");
  await expect(replay.getByTestId("replay-turn")).toContainText(NEW_REPLY);
  await page.getByTestId("replay-target").selectOption("1");
  await page.getByTestId("replay-conversation").click();
  await expect(replay.getByTestId("replay-summary")).toHaveText("1 turn matches");
});
