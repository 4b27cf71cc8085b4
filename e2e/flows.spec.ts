import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

const greeting = (text: string, target = "greet") =>
  JSON.stringify({
    name: "support",
    version: "1.0",
    initial_state: "greet",
    states: { greet: { type: "response", config: { response_templates: { default: text } }, transitions: [{ condition: "any_input", target_state: target }] } },
  });

async function ownerOnFlowsPage(page: Page, company = "Flows Outdoor") {
  const email = newEmail("owner");
  await registerAndVerify(page, mail, email, company);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/flows");
  return email;
}

/** Publish from the editor: the dialog takes an optional note. */
async function publish(page: Page) {
  await page.getByTestId("publish-flow").click();
  await page.getByTestId("confirm-publish").click();
}

async function importFlow(page: Page, name: string, json: string) {
  await page.getByTestId("flow-name").fill(name);
  await page.getByTestId("flow-json").fill(json);
  await page.getByTestId("import-flow").click();
}

test("a broken import is refused with the list of what is missing; a draft is fixed, published and shown as live", async ({ page }) => {
  const owner = await ownerOnFlowsPage(page);
  await expect(page.getByTestId("live-version")).toContainText("Not published yet: conversations use the starter flow");

  await importFlow(page, "guess", JSON.stringify({ name: "guess", nodes: [{ id: "start", text: "Hi" }] }));
  await expect(page.getByTestId("import-error")).toContainText("nothing was saved");
  const issues = page.getByTestId("import-issues");
  await expect(issues).toContainText('"nodes" is not a field of a flow');
  for (const field of ["version", "initial_state", "states"]) await expect(issues.getByTestId("flow-issue").filter({ hasText: field })).toHaveCount(1);
  await expect(page.getByTestId("flow-row")).toHaveCount(0);

  // Flow-shaped but pointing at a state that does not exist: saved and opened in the editor, with what blocks publishing.
  await importFlow(page, "support", greeting("Hello from support!", "ask_budget"));
  await expect(page.getByTestId("flow-canvas")).toBeVisible();
  await expect(page.getByTestId("flow-issues")).toContainText("ask_budget");
  await expect(page.getByTestId("publish-flow")).toBeDisabled();
  await page.getByRole("link", { name: "All flows" }).click();
  await expect(page.getByTestId("live-version")).toContainText("Not published yet");

  await page.getByTestId("flow-row").filter({ hasText: "support" }).getByTestId("open-flow").click();
  await page.getByTestId("tab-json").click();
  await page.getByTestId("flow-draft").fill(greeting("Hello from support!"));
  await page.getByTestId("apply-json").click();
  await expect(page.getByTestId("flow-issues")).not.toContainText("ask_budget");
  await publish(page);
  await expect(page.getByTestId("flow-status")).toContainText("Published as version 1");
  await page.getByRole("link", { name: "All flows" }).click();
  await expect(page.getByTestId("live-version")).toContainText(`New conversations get version 1 of "support", published just now by ${owner}`);
  await expect(page.getByTestId("flow-row").filter({ hasText: "support" }).getByTestId("flow-live")).toHaveText("Live · v1");

  // The format the page links to.
  await page.getByRole("link", { name: "flow format" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The flow format");
  await expect(page.getByRole("heading", { name: "slot_filling" })).toBeVisible();
});

test("deleting a flow asks first, and the live flow offers no delete", async ({ page }) => {
  await ownerOnFlowsPage(page, "Delete Outdoor");
  await importFlow(page, "live one", greeting("Live"));
  await publish(page);
  await expect(page.getByTestId("flow-status")).toContainText("Published as version 1");
  await page.goto("/dashboard/flows");
  await importFlow(page, "spare", greeting("Spare"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("spare");
  await page.goto("/dashboard/flows");

  const live = page.getByTestId("flow-row").filter({ hasText: "live one" });
  const spare = page.getByTestId("flow-row").filter({ hasText: "spare" });
  await expect(live.getByTestId("delete-flow")).toHaveCount(0);
  await spare.getByTestId("delete-flow").click();
  await expect(spare).toContainText('Delete "spare"? Its draft is removed for good.');
  await spare.getByTestId("cancel-delete-flow").click();
  await expect(page.getByTestId("flow-row")).toHaveCount(2);

  await spare.getByTestId("delete-flow").click();
  await spare.getByTestId("confirm-delete-flow").click();
  await expect(page.getByTestId("flow-row")).toHaveCount(1);
  await expect(page.getByTestId("live-version")).toContainText('version 1 of "live one"');
});
