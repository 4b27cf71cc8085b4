import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { edgeLabelled, node } from "./support/canvas";
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

/** "hello there" is an example of both intents: the classifier cannot tell them apart there. */
const DEFINITION = {
  name: "panels",
  version: "1.0",
  initial_state: "greet",
  intents: {
    greeting: { examples: ["hi", "hello", "hey there", "good morning", "hello there"] },
    thanks: { examples: ["thanks", "thank you", "thanks a lot", "hello there"] },
  },
  states: {
    greet: { type: "response", config: { response_templates: { default: "Hi! How can I help?" } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    router: {
      type: "intent",
      config: { intent_patterns: ["greeting", "thanks"] },
      transitions: [
        { condition: "intent_match", condition_value: "greeting", target_state: "answer", priority: 10 },
        { condition: "fallback", target_state: "greet", priority: 20 },
      ],
    },
    answer: {
      type: "llm",
      config: { system_prompt: "Answer briefly.", fallback_template: "Sorry, not now." },
      transitions: [{ condition: "any_input", target_state: "router" }],
    },
  },
};

const panel = (page: Page) => page.getByTestId("state-panel");
const field = (page: Page, path: string) => panel(page).locator(`[data-field="${path}"]`);
const intentRow = (page: Page, intent: string) => page.locator(`[data-testid="intent-row"][data-intent="${intent}"]`);

async function openEditor(page: Page): Promise<void> {
  const email = newEmail("panels");
  await registerAndVerify(page, mail, email, "Panels Outdoor");
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto(await createFlow(page, "Panels flow", DEFINITION));
  await expect(page.getByTestId("flow-node")).toHaveCount(3);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
}

test("the state panel edits a state through its form: one undo step per field, type errors named inline, transitions reordered", async ({ page }) => {
  await openEditor(page);

  await node(page, "greet").click();
  await expect(panel(page).getByTestId("state-type")).toHaveText("Response state");
  await expect(panel(page).getByLabel("Default template")).toHaveValue("Hi! How can I help?");
  await field(page, "config.response_templates.default").fill("");
  await field(page, "config.response_templates.default").pressSequentially("Welcome back!");
  await expect(node(page, "greet")).toContainText("Welcome back!");
  // Typing in one field is one step: a single undo brings the old text back.
  await page.getByTestId("undo").click();
  await expect(field(page, "config.response_templates.default")).toHaveValue("Hi! How can I help?");
  await page.getByTestId("redo").click();
  await expect(field(page, "config.response_templates.default")).toHaveValue("Welcome back!");

  await node(page, "answer").click();
  await expect(panel(page).getByTestId("state-type")).toHaveText("LLM state");
  await field(page, "config.max_tokens").fill("-5");
  await expect(panel(page).locator('[data-for="config.max_tokens"]')).toHaveText("Max tokens must be more than 0");
  await expect(page.getByTestId("publish-flow")).toBeDisabled();
  await field(page, "config.max_tokens").fill("");
  await expect(panel(page).locator('[data-for="config.max_tokens"]')).toHaveCount(0);
  await expect(page.getByTestId("publish-flow")).toBeEnabled();

  // The fallback moved first: it now comes before the intent match, renumbered 10, 20.
  await node(page, "router").click();
  await expect(panel(page).getByTestId("transition-row")).toHaveCount(2);
  await panel(page).getByTestId("transition-row").nth(1).getByRole("button", { name: "Move up" }).click();
  await expect(field(page, "transitions.0.condition")).toHaveValue("fallback");
  await expect(field(page, "transitions.0.target_state")).toHaveValue("greet");
  await expect(panel(page).getByTestId("transition-row").first()).toContainText("1. Priority 10");

  // A target typed by hand that names no state is flagged under the field; naming a real one clears it.
  await field(page, "transitions.1.target_state").fill("nowhere");
  await expect(panel(page).locator('[data-for="transitions.1.target_state"]')).toContainText('goes to "nowhere", which does not exist');
  await field(page, "transitions.1.target_state").fill("answer");
  await expect(panel(page).locator('[data-for="transitions.1.target_state"]')).toHaveCount(0);

  // Renaming through the header updates the transitions that lead to it.
  await node(page, "answer").click();
  await panel(page).getByTestId("state-name").fill("reply");
  await panel(page).getByTestId("state-name").press("Enter");
  await expect(node(page, "reply")).toBeVisible();
  await expect(page.getByTestId("missing-node")).toHaveCount(0);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
});

test("the intents panel measures each intent as examples are typed, warns about thin and confusable intents, and edits entity lists", async ({ page }) => {
  await openEditor(page);
  await page.getByTestId("tab-intents").click();
  const intents = page.getByTestId("intents-panel");
  await expect(intents).toBeVisible();
  await expect(intentRow(page, "thanks").getByTestId("intent-warning")).toContainText([
    "Fewer than 5 examples: add 1 more so visitors' own wording is recognised",
    'Often mistaken for greeting: "hello there"',
  ]);

  await page.getByTestId("new-intent-name").fill("goodbye");
  await page.getByTestId("add-intent").click();
  const goodbye = intentRow(page, "goodbye");
  await expect(goodbye.getByTestId("intent-accuracy")).toHaveText("Not measurable: with no examples the intent is recognised by the words of its name");
  await goodbye.getByTestId("intent-example-input").fill("bye");
  await goodbye.getByTestId("intent-example-input").press("Enter");
  await expect(goodbye.getByTestId("intent-example-input")).toHaveValue("");
  await expect(goodbye.getByTestId("intent-accuracy")).toHaveText("Not measurable yet: a second example is needed to test the first against");
  await goodbye.getByTestId("intent-example-input").fill("goodbye now");
  await goodbye.getByTestId("intent-example-input").press("Enter");
  await expect(goodbye.getByTestId("intent-accuracy")).toHaveText("2 of 2 examples recognised (100%)");
  await expect(goodbye.getByTestId("intent-warning")).toHaveText(["Fewer than 5 examples: add 3 more so visitors' own wording is recognised"]);

  // A second intent of the same name is refused where it was typed.
  await page.getByTestId("new-intent-name").fill("goodbye");
  await page.getByTestId("add-intent").click();
  await expect(intents).toContainText('There is already an intent "goodbye"');

  // Renaming an intent renames what listens for it: the router's transition follows, in one undo step.
  await intentRow(page, "greeting").getByLabel("Intent name").fill("hello");
  await intentRow(page, "greeting").getByLabel("Intent name").press("Enter");
  await expect(intentRow(page, "hello")).toHaveCount(1);
  await expect(edgeLabelled(page, "intent: hello")).toHaveCount(1);
  await expect(node(page, "router")).toContainText("Listens for: hello, thanks");
  await page.getByTestId("undo").click();
  await expect(intentRow(page, "greeting")).toHaveCount(1);
  await expect(edgeLabelled(page, "intent: greeting")).toHaveCount(1);

  const lists = page.getByTestId("entity-lists");
  await page.getByTestId("new-list-name").fill("products");
  await page.getByTestId("add-list").click();
  await lists.getByLabel("Entity list: one value per line").fill("phone\nlaptop");

  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.reload();
  await page.getByTestId("tab-intents").click();
  await expect(intentRow(page, "goodbye").getByTestId("intent-accuracy")).toHaveText("2 of 2 examples recognised (100%)");
  await expect(page.getByTestId("entity-lists").getByLabel("Entity list: one value per line")).toHaveValue("phone\nlaptop");
});
