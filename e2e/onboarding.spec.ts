import { expect, test } from "@playwright/test";
import { login, newEmail, PASSWORD, register, registerAndVerify } from "./support/account";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT, E2E_VERIFICATION_TTL_SECONDS } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

test("a business signs up, verifies its email, configures the web widget and talks to its bot", async ({ page }) => {
  const email = newEmail("owner");
  await registerAndVerify(page, mail, email);

  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  const items = page.getByTestId("checklist-item");
  await expect(items).toHaveCount(5);
  await expect(items.filter({ hasText: "Connect an AI model" })).toHaveAttribute("data-done", "false");
  await expect(items.filter({ hasText: "Configure the web widget" })).toHaveAttribute("data-done", "false");

  await page.getByTestId("setup-channels").click();
  await expect(page.getByTestId("channel-setup")).toBeVisible();
  await page.getByTestId("enable-web-widget").check();
  const config = page.getByTestId("widget-config");
  await expect(config).toBeVisible();
  await page.getByTestId("widget-title").fill("Acme Help Desk");
  await page.getByTestId("widget-welcome").fill("Welcome to Acme! Ask us anything.");
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toBeVisible();
  await expect(page.getByTestId("embed-snippet")).toContainText("widget.js");

  await page.getByTestId("test-widget").click();
  const widget = page.getByTestId("chat-widget");
  await expect(widget).toContainText("Acme Help Desk");
  await expect(widget).toContainText("Welcome to Acme! Ask us anything.");
  await page.getByTestId("chat-input").fill("Hello, this is a test");
  await page.getByTestId("send-message").click();
  const reply = page.getByTestId("bot-response").first();
  await expect(reply).toBeVisible();
  await expect(reply).not.toBeEmpty();
  await expect(reply).not.toContainText("problem");
  await expect(widget).toContainText("Hello, this is a test");

  // Saved settings survive a reload, and the checklist now reflects them.
  await page.reload();
  await expect(page.getByTestId("widget-title")).toHaveValue("Acme Help Desk");
  await page.goto("/dashboard");
  await expect(page.getByTestId("checklist-item").filter({ hasText: "Configure the web widget" })).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("checklist-item").filter({ hasText: "Set up a channel" })).toHaveAttribute("data-done", "true");
});

test("sign-up explains what is wrong and keeps what was typed", async ({ page }) => {
  const taken = newEmail("taken");
  await registerAndVerify(page, mail, taken);

  // Sign-up does not tell whether an address has an account: the same answer, and the owner gets a login link.
  const beforeDuplicate = mail.count();
  await register(page, { email: taken });
  await expect(page.getByTestId("email-confirmation")).toContainText(taken);
  await mail.waitForLink(taken, "/login", { after: beforeDuplicate });

  await register(page, { email: newEmail("weak"), password: "short", confirm: "short" });
  await expect(page.getByText("Password must be at least 10 characters").first()).toBeVisible();
  await expect(page.getByTestId("email-confirmation")).toHaveCount(0);

  await register(page, { email: newEmail("mismatch"), password: PASSWORD, confirm: "launch-day-2027" });
  await expect(page.getByText("Passwords do not match").first()).toBeVisible();
  await expect(page.getByTestId("email")).not.toHaveValue("");
});

test("login refuses a wrong password and an unverified account with a clear message", async ({ page }) => {
  const verified = newEmail("verified");
  await registerAndVerify(page, mail, verified);
  await login(page, verified, "not-the-password-1");
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  await expect(page.getByTestId("dashboard")).toHaveCount(0);

  const unverified = newEmail("unverified");
  await register(page, { email: unverified });
  await expect(page.getByTestId("email-confirmation")).toBeVisible();
  await login(page, unverified);
  await expect(page.getByTestId("login-error")).toContainText("verify your email");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
});

test("an expired verification link says so and a fresh link verifies the account", async ({ page }) => {
  const email = newEmail("expired");
  const before = mail.count();
  await register(page, { email });
  const link = await mail.waitForLink(email, "/verify-email", { after: before });
  await page.waitForTimeout((E2E_VERIFICATION_TTL_SECONDS + 1) * 1000);
  await page.goto(link);
  await expect(page.getByTestId("verification-error")).toContainText("expired");

  const beforeResend = mail.count();
  await page.getByTestId("resend-verification").click();
  await expect(page.getByTestId("verification-resent")).toBeVisible();
  await page.goto(await mail.waitForLink(email, "/verify-email", { after: beforeResend }));
  await expect(page.getByTestId("confirmation-message")).toBeVisible();
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
});
