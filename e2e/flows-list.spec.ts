import { readFileSync } from "node:fs";
import { expect, test, type Download, type Page } from "@playwright/test";
import { login, newEmail, PASSWORD, registerAndVerify } from "./support/account";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

const EDITOR_URL = /\/dashboard\/flows\/[0-9a-f-]{36}$/;

async function ownerOnFlowsPage(page: Page, company: string) {
  const email = newEmail("owner");
  await registerAndVerify(page, mail, email, company);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/flows");
  return email;
}

const row = (page: Page, name: string) => page.getByTestId("flow-row").filter({ has: page.getByTestId("flow-name-cell").getByText(name, { exact: true }) });
const saved = async (download: Download) => ({ name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8"), path: await download.path() });

async function exportOf(page: Page, name: string) {
  const download = page.waitForEvent("download");
  await row(page, name).getByTestId("export-flow").click();
  return saved(await download);
}

test("an owner starts a flow from a template, duplicates, renames, exports it and imports the file back unchanged", async ({ page }) => {
  const owner = await ownerOnFlowsPage(page, "List Outdoor");

  await page.getByTestId("new-flow-template").selectOption("customer_support");
  await expect(page.getByTestId("new-flow-template-description")).toContainText("looking the order number up");
  await page.getByTestId("new-flow-name").fill("Support");
  await page.getByTestId("create-flow").click();
  await expect(page).toHaveURL(EDITOR_URL);
  const supportId = page.url().split("/").at(-1)!;

  // Links from before the editor had its own page still arrive there.
  await page.goto(`/dashboard/flows?flow=${supportId}`);
  await expect(page).toHaveURL(EDITOR_URL);

  await page.goto("/dashboard/flows");
  const support = row(page, "Support");
  await expect(support.getByTestId("flow-states")).toHaveText("9");
  await expect(support.getByTestId("flow-edited")).toHaveText(`just now by ${owner}`);
  await expect(support).toContainText("Draft, never published");

  await support.getByTestId("duplicate-flow").click();
  await expect(support.getByTestId("duplicate-flow-name")).toHaveValue("Support (copy)");
  await support.getByTestId("confirm-duplicate-flow").click();
  await expect(page.getByTestId("flow-row")).toHaveCount(2);

  // Names are unique: the form says so and stays open.
  const copy = row(page, "Support (copy)");
  await copy.getByTestId("rename-flow").click();
  await copy.getByTestId("rename-flow-name").fill("Support");
  await copy.getByTestId("confirm-rename-flow").click();
  await expect(copy.getByRole("alert")).toHaveText('A flow named "Support" already exists.');
  await copy.getByTestId("rename-flow-name").fill("Support v2");
  await copy.getByTestId("confirm-rename-flow").click();
  await expect(row(page, "Support v2")).toHaveCount(1);

  const exported = await exportOf(page, "Support");
  expect(exported.name).toBe("support.json");
  expect(JSON.parse(exported.text)).toMatchObject({ name: "customer-support", initial_state: "greeting" });

  await page.getByTestId("flow-name").fill("Imported support");
  await page.getByTestId("import-flow-file").setInputFiles(exported.path);
  await expect(page.getByTestId("flow-json")).toHaveValue(exported.text);
  await page.getByTestId("import-flow").click();
  await expect(page).toHaveURL(EDITOR_URL);
  await page.goto("/dashboard/flows");
  const reExported = await exportOf(page, "Imported support");
  expect(reExported).toMatchObject({ name: "imported-support.json", text: exported.text });

  await row(page, "Support v2").getByTestId("delete-flow").click();
  await row(page, "Support v2").getByTestId("confirm-delete-flow").click();
  await expect(page.getByTestId("flow-row")).toHaveCount(2);
});

test("a member sees the flows with View and Export only", async ({ page, browser }) => {
  const company = `Members Outdoor ${Date.now()}`;
  await ownerOnFlowsPage(page, company);
  await page.getByTestId("new-flow-name").fill("Support");
  await page.getByTestId("create-flow").click();
  await expect(page).toHaveURL(EDITOR_URL);

  await page.goto("/dashboard/team");
  const member = newEmail("member");
  const before = mail.count();
  await page.getByTestId("invite-email").fill(member);
  await page.getByTestId("invite-role").selectOption("member");
  await page.getByTestId("send-invite").click();
  await expect(page.getByTestId("invite-result")).toContainText(member);
  const link = await mail.waitForLink(member, "/invite", { after: before });

  const theirs = await (await browser.newContext()).newPage();
  await theirs.goto(link);
  await theirs.getByTestId("password").fill(PASSWORD);
  await theirs.getByTestId("confirm-password").fill(PASSWORD);
  await theirs.getByTestId("submit-registration").click();
  await expect(theirs.getByTestId("dashboard")).toContainText(`Welcome to ${company}`);

  await theirs.goto("/dashboard/flows");
  const support = row(theirs, "Support");
  await expect(support.getByTestId("open-flow")).toHaveText("View");
  await expect(support.getByTestId("export-flow")).toHaveCount(1);
  for (const action of ["duplicate-flow", "rename-flow", "delete-flow"]) await expect(support.getByTestId(action)).toHaveCount(0);
  for (const form of ["create-flow", "import-flow"]) await expect(theirs.getByTestId(form)).toHaveCount(0);
  const exported = await exportOf(theirs, "Support");
  expect(exported.name).toBe("support.json");
  expect(JSON.parse(exported.text)).toMatchObject({ initial_state: "greeting", states: { greeting: { type: "response" } } });

  // The editor is read-only for them: the canvas and the draft, nothing to change, publish or try.
  await support.getByTestId("open-flow").click();
  await expect(theirs.getByTestId("flow-node")).toHaveCount(1);
  for (const control of ["palette-response", "publish-flow", "undo", "tab-try"]) await expect(theirs.getByTestId(control)).toHaveCount(0);
  await theirs.getByTestId("tab-json").click();
  await expect(theirs.getByTestId("flow-draft")).toHaveAttribute("readonly", "");
  await theirs.getByTestId("flow-node").click();
  await expect(theirs.getByTestId("state-panel").locator('[data-field="config.response_templates.default"]')).toHaveJSProperty("readOnly", true);
});
