import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startCustomerSite } from "./support/customer-site";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_PORT, E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

// The owner's pages may write and read the clipboard; the member's context below gets no clipboard at all.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

async function ownerOnChannels(page: Page, company: string) {
  const email = newEmail("channels");
  await registerAndVerify(page, mail, email, company);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/channels");
  await expect(page.getByTestId("channel-setup")).toBeVisible();
  return email;
}

test("an owner styles the widget, copies its snippet, and the launcher sits bottom left in the brand colour on their site", async ({ page, browser }) => {
  await ownerOnChannels(page, "Harbour Supplies");
  // Clicked, as the specification's journey does (other journeys use .check()).
  await page.click("[data-testid=enable-web-widget]");
  await expect(page.getByTestId("widget-config")).toBeVisible();
  await page.getByTestId("widget-title").fill("Harbour chat");

  const picker = page.getByTestId("widget-color");
  const hex = page.getByTestId("widget-color-hex");
  await picker.fill("#aa0000");
  await expect(hex).toHaveValue("#aa0000");
  await hex.fill("#12");
  await hex.blur();
  await expect(page.getByText("Brand colour must be a hex colour like #4f46e5 or #fff")).toBeVisible();
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toHaveCount(0);
  await hex.fill("#0a0");
  await expect(picker).toHaveValue("#00aa00");
  await expect(page.getByText("Brand colour must be a hex colour like #4f46e5 or #fff")).toHaveCount(0);
  await page.getByTestId("widget-position").selectOption({ label: "Bottom left" });
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toBeVisible();

  const snippet = page.getByTestId("embed-snippet");
  await expect(snippet).toContainText(`127.0.0.1:${E2E_PORT}/widget.js`);
  await page.getByTestId("copy-snippet").click();
  await expect(page.getByTestId("copy-snippet")).toHaveText("Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await snippet.textContent());

  await page.reload();
  await expect(page.getByTestId("widget-color-hex")).toHaveValue("#0a0");
  await expect(page.getByTestId("widget-position")).toHaveValue("left");

  const site = await startCustomerSite(8094, copied);
  try {
    const visitor = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await visitor.goto(site.origin);
    const launcher = visitor.locator("[data-chatbot-widget]").getByRole("button", { name: "Harbour chat" });
    await expect(launcher).toBeVisible();
    const box = (await launcher.boundingBox())!;
    expect(box.x).toBeLessThan(100);
    expect(box.y).toBeGreaterThan(800 - 120);
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(0, 170, 0)");
  } finally {
    await site.close();
  }
});

test("saving WhatsApp credentials says plainly that WhatsApp is not connected yet", async ({ page }) => {
  await ownerOnChannels(page, "Quayside Fish");
  const whatsapp = page.getByTestId("channel-whatsapp");
  await expect(page.getByTestId("channel-status-whatsapp")).toHaveText("Status: Not connected: no credentials saved");
  await whatsapp.getByLabel("Phone number ID").fill("1555000");
  await whatsapp.getByLabel("Access token").fill("EAAG-e2e-token");
  await whatsapp.getByLabel("App secret").fill("e2e-app-secret");
  await whatsapp.getByLabel("Webhook verify token").fill("e2e-verify");
  await whatsapp.getByRole("checkbox").check();
  await whatsapp.getByRole("button", { name: "Save WhatsApp" }).click();
  await expect(page.getByTestId("channel-saved-whatsapp")).toHaveText(
    "Credentials saved. WhatsApp is not connected yet: receiving messages needs the webhook, which this version does not provide yet.",
  );
  await expect(page.getByTestId("channel-status-whatsapp")).toHaveText("Status: Not connected: webhook not verified");
  await expect(whatsapp.getByText("Saved.", { exact: true })).toHaveCount(0);
  // The stored token is never shown again, only a hint of it.
  await expect(whatsapp.getByLabel("Access token")).toHaveValue("");

  await page.goto("/dashboard");
  await expect(page.getByTestId("checklist-item").filter({ hasText: "Set up a channel" })).toHaveAttribute("data-done", "false");
});

test("a new API key is copied once, and revoking it asks first", async ({ page }) => {
  await ownerOnChannels(page, "Pier Tools");
  await page.goto("/dashboard/api-keys");
  await page.getByTestId("api-key-name").fill("CI");
  await page.getByTestId("create-api-key").click();
  const key = page.getByTestId("new-api-key");
  await expect(key).toContainText("cbk_");
  await page.getByTestId("copy-api-key").click();
  await expect(page.getByTestId("copy-api-key")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await key.textContent());

  const row = page.getByTestId("api-key-row").filter({ hasText: "CI" });
  await row.getByTestId("revoke").click();
  await expect(row.getByTestId("revoke-question")).toContainText('Revoke "CI"? Anything using it stops working within 10 seconds.');
  await row.getByTestId("cancel-revoke").click();
  await expect(row.getByTestId("revoke")).toBeVisible();
  await expect(row).not.toContainText("revoked");

  await row.getByTestId("revoke").click();
  await row.getByTestId("confirm-revoke").click();
  await expect(row).toContainText("revoked");
  await page.reload();
  await expect(page.getByTestId("api-key-row").filter({ hasText: "CI" })).toContainText("revoked");
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
});

test("a member sees the keys and channels but no create, revoke, enable or save, and copies the snippet by hand without a clipboard", async ({ page, browser }) => {
  await ownerOnChannels(page, "Dockside Crew");
  await page.getByTestId("enable-web-widget").check();
  await expect(page.getByTestId("embed-snippet")).toBeVisible();
  await page.goto("/dashboard/api-keys");
  await page.getByTestId("api-key-name").fill("Website");
  await page.getByTestId("create-api-key").click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();

  const memberEmail = newEmail("member");
  const member = await (await browser.newContext({ baseURL: `http://127.0.0.1:${E2E_PORT}` })).newPage();
  // As on a plain-http page: there is no clipboard API to write to.
  await member.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
  await registerAndVerify(member, mail, memberEmail, "Member's own");
  await login(member, memberEmail);
  await expect(member.getByTestId("dashboard")).toBeVisible();

  await page.goto("/dashboard/team");
  const before = mail.count();
  await page.getByTestId("invite-email").fill(memberEmail);
  await page.getByTestId("send-invite").click();
  await member.goto(await mail.waitForLink(memberEmail, "/invite", { after: before }));
  await member.getByTestId("accept-invite").click();
  await expect(member.getByTestId("dashboard")).toContainText("Dockside Crew");

  await member.goto("/dashboard/api-keys");
  await expect(member.getByTestId("api-key-row").filter({ hasText: "Website" })).toContainText("active");
  await expect(member.getByTestId("revoke")).toHaveCount(0);
  await expect(member.getByTestId("create-api-key")).toHaveCount(0);

  await member.goto("/dashboard/channels");
  await expect(member.getByTestId("channel-status-whatsapp")).toBeVisible();
  await expect(member.getByTestId("enable-web-widget")).toHaveCount(0);
  await expect(member.getByTestId("widget-config")).toHaveCount(0);
  await expect(member.getByRole("button", { name: /^Save/ })).toHaveCount(0);

  const snippet = member.getByTestId("embed-snippet");
  await member.getByTestId("copy-snippet").click();
  await expect(member.getByTestId("copy-snippet-hint")).toHaveText("Selected: press Ctrl+C (⌘C on a Mac) to copy.");
  expect(await member.evaluate(() => window.getSelection()?.toString())).toBe(await snippet.textContent());
  await member.context().close();
});
