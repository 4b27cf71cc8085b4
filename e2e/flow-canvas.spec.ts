import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { createFlow } from "./support/flows";
import { connect, edgeLabelled, node, settled } from "./support/canvas";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

const examples = (...texts: string[]) => ({ examples: texts });

/** Four states and no positions (as an import has none); "hello" leads to a state that does not exist. */
const DEFINITION = {
  name: "canvas",
  version: "1.0",
  initial_state: "greet",
  intents: {
    greeting: examples("hi", "hello", "hey there", "good morning", "hiya"),
    thanks: examples("thanks", "thank you", "cheers", "much appreciated", "thanks a lot"),
  },
  states: {
    greet: { type: "response", config: { response_templates: { default: "Hi! Say hello." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    router: {
      type: "intent",
      config: { intent_patterns: ["greeting"] },
      transitions: [
        { condition: "intent_match", condition_value: "greeting", target_state: "hello", priority: 10 },
        { condition: "fallback", target_state: "sorry", priority: 999 },
      ],
    },
    hello: { type: "response", config: { response_templates: { default: "Hello to you too!" } }, transitions: [{ condition: "any_input", target_state: "ask_budget" }] },
    sorry: { type: "response", config: { response_templates: { default: "Sorry, I did not get that." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
  },
};

/** A signed-in owner with the flow above, created through the same tRPC call the flows page makes; returns the editor's address. */
async function ownerWithFlow(page: Page): Promise<string> {
  const email = newEmail("canvas");
  await registerAndVerify(page, mail, email, "Canvas Outdoor");
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  return createFlow(page, "Canvas flow", DEFINITION);
}




test("an admin edits a flow on the canvas: issues lead to the field, palette, connect dialog, undo, copy and paste, delete, autosave, publish", async ({ page }) => {
  const editor = await ownerWithFlow(page);
  await page.goto(editor);
  await expect(page).toHaveTitle(/^Canvas flow · Flows/);

  // Laid out on first open (the import had no positions); the layout is saved.
  await expect(page.getByTestId("flow-node")).toHaveCount(4);
  await expect(node(page, "greet").getByTestId("initial-marker")).toHaveText("Initial");
  await expect(page.getByTestId("missing-node")).toHaveText("Missing state: ask_budget");
  await expect(node(page, "hello").getByTestId("node-errors")).toHaveText("1");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  // The dangling transition blocks publishing; its issue leads to the field to fix.
  await expect(page.getByTestId("publish-flow")).toBeDisabled();
  await expect(page.getByTestId("publish-flow")).toHaveAttribute("title", "Fix the 1 error listed under the canvas before publishing.");
  await page.getByTestId("flow-issues").getByTestId("flow-issue").filter({ hasText: "ask_budget" }).getByRole("button").click();
  await expect(page.getByTestId("state-panel")).toBeVisible();
  await expect(page.getByTestId("state-panel").locator('[data-field="transitions.0.target_state"]')).toBeFocused();

  // Deleting the ghost removes the transition that led to it.
  await page.getByTestId("missing-node").click();
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("missing-node")).toHaveCount(0);
  await expect(page.getByTestId("flow-issues")).not.toContainText("ask_budget");
  await expect(page.getByTestId("publish-flow")).toBeEnabled();

  // A response state from the palette, selected at once; then everything laid out.
  await page.getByTestId("palette-response").click();
  await expect(node(page, "response")).toBeVisible();
  await expect(page.getByTestId("state-panel")).toBeVisible();
  await page.getByTestId("auto-layout").click();
  await settled(node(page, "response"));

  // Connected from the router: the dialog asks which intent, and the router learns it.
  await connect(page, "router", "response");
  const dialog = page.getByTestId("connect-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("connect-condition")).toBeFocused();
  await expect(dialog.getByTestId("connect-condition")).toHaveValue("intent_match");
  await dialog.getByTestId("connect-confirm").click();
  await expect(dialog).toContainText("Name the intent this transition waits for.");
  await dialog.getByTestId("connect-value").fill("thanks");
  await expect(dialog).toContainText('"thanks" will be added to the intents this state listens for.');
  await dialog.getByTestId("connect-confirm").click();
  await expect(dialog).toBeHidden();
  await expect(edgeLabelled(page, "intent: thanks")).toHaveCount(1);
  await expect(node(page, "router")).toContainText("Listens for: greeting, thanks");

  // Undo and redo, by button and by keyboard.
  await page.getByTestId("undo").click();
  await expect(edgeLabelled(page, "intent: thanks")).toHaveCount(0);
  await page.getByTestId("redo").click();
  await expect(edgeLabelled(page, "intent: thanks")).toHaveCount(1);
  await page.keyboard.press("Control+z");
  await expect(edgeLabelled(page, "intent: thanks")).toHaveCount(0);
  await page.keyboard.press("Control+Shift+z");
  await expect(edgeLabelled(page, "intent: thanks")).toHaveCount(1);

  // Copy and paste a state: a unique name, selected, so Delete takes the copy away again.
  await node(page, "hello").click();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(node(page, "hello_copy")).toBeVisible();
  await page.keyboard.press("Delete");
  await expect(node(page, "hello_copy")).toHaveCount(0);
  await expect(node(page, "hello")).toHaveCount(1);

  // Autosaved: a reload shows the same flow.
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await page.reload();
  await expect(node(page, "response")).toBeVisible();
  await expect(edgeLabelled(page, "intent: thanks")).toHaveCount(1);
  await expect(page.getByTestId("missing-node")).toHaveCount(0);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  await page.getByTestId("publish-flow").click();
  await expect(page.getByTestId("publish-note")).toBeFocused();
  await page.getByTestId("publish-note").fill("Thanks branch");
  await page.getByTestId("confirm-publish").click();
  await expect(page.getByTestId("flow-status")).toHaveText("Published as version 1. New conversations get it from now on.");
  await expect(page.getByTestId("publish-dialog")).toBeHidden();
});

test("two windows on one flow: the second save is a conflict, not an overwrite, until the author chooses", async ({ page }) => {
  const editor = await ownerWithFlow(page);
  await page.goto(editor);
  // The first window stores the layout before the second opens, so both start from the same revision.
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  const other = await page.context().newPage();
  await other.goto(editor);
  await expect(other.getByTestId("flow-node")).toHaveCount(4);

  await page.getByTestId("palette-handoff").click();
  await expect(node(page, "handoff")).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  await other.getByTestId("palette-llm").click();
  await expect(other.getByTestId("save-status")).toContainText("You saved this flow in another window");
  await expect(other.getByTestId("load-theirs")).toBeVisible();
  await other.getByTestId("overwrite-mine").click();
  await expect(other.getByTestId("save-status")).toHaveText("Saved");

  // The first window is now behind: its next save is refused too; it loads the other's version.
  await page.getByTestId("palette-condition").click();
  await expect(page.getByTestId("save-status")).toContainText("You saved this flow in another window");
  await page.getByTestId("load-theirs").click();
  await page.getByTestId("confirm-load-theirs").click();
  await expect(node(page, "llm")).toBeVisible();
  await expect(node(page, "handoff")).toHaveCount(0);
  await expect(node(page, "condition")).toHaveCount(0);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await other.close();
});
