import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { say } from "./support/chat";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

const GREETING = "Hi! Welcome to Trail Gear.";

// Our specification's flow shape: a greeting as initial state, passing any input on to an intent router.
const supportFlow = (orderAnswer: string) =>
  JSON.stringify({
    name: "support",
    version: "1.0",
    initial_state: "welcome",
    intents: {
      order_inquiry: { examples: ["I need help with my order", "where is my order", "track my order", "my order has not arrived", "order status"] },
      opening_hours: { examples: ["when are you open", "what are your opening hours", "are you open on sunday", "opening times"] },
    },
    states: {
      welcome: { type: "response", config: { response_templates: { default: GREETING } }, transitions: [{ condition: "any_input", target_state: "router" }] },
      router: {
        type: "intent",
        config: { intent_patterns: ["order_inquiry", "opening_hours"], confidence_threshold: 0.5 },
        transitions: [
          { condition: "intent_match", condition_value: "order_inquiry", target_state: "orders" },
          { condition: "intent_match", condition_value: "opening_hours", target_state: "hours" },
          { condition: "fallback", target_state: "not_understood" },
        ],
      },
      orders: { type: "response", config: { response_templates: { default: orderAnswer } }, transitions: [{ condition: "any_input", target_state: "router" }] },
      hours: { type: "response", config: { response_templates: { default: "We are open 9 to 5." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
      not_understood: { type: "response", config: { response_templates: { default: "Sorry, I did not get that." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    },
  });

/** Publish from the editor: the dialog takes an optional note. */
async function publish(page: Page) {
  await page.getByTestId("publish-flow").click();
  await page.getByTestId("confirm-publish").click();
}

test("a new owner follows the checklist to a published flow, and the test widget's New conversation shows what was published", async ({ page, context }) => {
  const email = newEmail("first-owner");
  await registerAndVerify(page, mail, email, "Trail Gear");
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();

  const publishItem = page.getByTestId("checklist-item").filter({ hasText: "Publish a flow" });
  await expect(publishItem).toHaveAttribute("data-done", "false");
  await publishItem.getByRole("link").click();
  await expect(page.getByTestId("live-version")).toContainText("Not published yet");
  await page.getByTestId("flow-name").fill("support");
  await page.getByTestId("flow-json").fill(supportFlow("Orders ship within 2 days."));
  await page.getByTestId("import-flow").click();
  await publish(page);
  await expect(page.getByTestId("flow-status")).toContainText("Published as version 1");
  await page.getByRole("link", { name: "All flows" }).click();
  await expect(page.getByTestId("live-version")).toContainText('New conversations get version 1 of "support"');

  await page.getByRole("link", { name: "Overview" }).click();
  await expect(publishItem).toHaveAttribute("data-done", "true");

  // The opening message is answered, not dropped behind the greeting.
  await page.getByTestId("test-widget").click();
  expect(await say(page, "I need help with my order")).toEqual([GREETING, "Orders ship within 2 days."]);

  // Publishing a change from another tab while this conversation runs.
  const flowsTab = await context.newPage();
  await flowsTab.goto("/dashboard/flows");
  await flowsTab.getByTestId("flow-row").filter({ hasText: "support" }).getByTestId("open-flow").click();
  await flowsTab.getByTestId("tab-json").click();
  await flowsTab.getByTestId("flow-draft").fill(supportFlow("Orders now ship the same day."));
  await flowsTab.getByTestId("apply-json").click();
  await publish(flowsTab);
  await expect(flowsTab.getByTestId("flow-status")).toContainText("Published as version 2");
  await flowsTab.getByRole("link", { name: "All flows" }).click();
  await expect(flowsTab.getByTestId("live-version")).toContainText('New conversations get version 2 of "support"');
  await flowsTab.close();

  // The running conversation keeps the version it started on...
  expect(await say(page, "where is my order")).toEqual(["Orders ship within 2 days."]);
  // ...and New conversation starts on the version just published. A bare hello gets only the greeting.
  await page.getByRole("button", { name: "New conversation" }).click();
  await expect(page.getByTestId("bot-response")).toHaveCount(0);
  expect(await say(page, "Hello")).toEqual([GREETING]);
  expect(await say(page, "I need help with my order")).toEqual(["Orders now ship the same day."]);
});
