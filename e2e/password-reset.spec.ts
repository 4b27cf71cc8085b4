import { expect, test } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

const NEW_PASSWORD = "fresh-start-2026";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

test("an owner who forgot the password resets it from the emailed link; the old password and earlier sessions stop working", async ({ page, browser }) => {
  const email = newEmail("forgot");
  await registerAndVerify(page, mail, email);

  // Another device, logged in before the reset.
  const laptop = await browser.newContext();
  const laptopPage = await laptop.newPage();
  await login(laptopPage, email);
  await expect(laptopPage.getByTestId("dashboard")).toBeVisible();

  await page.goto("/login");
  await page.getByTestId("forgot-password").click();
  await expect(page).toHaveTitle(/Reset your password/);
  const before = mail.count();
  await page.getByTestId("reset-email").fill(email);
  await page.getByTestId("send-reset").click();
  await expect(page.getByTestId("reset-requested")).toContainText(email);

  const link = await mail.waitForLink(email, "/reset-password", { after: before });
  await page.goto(link);
  await page.getByTestId("new-password").fill(NEW_PASSWORD);
  await page.getByTestId("confirm-new-password").fill(NEW_PASSWORD);
  await page.getByTestId("save-new-password").click();
  await expect(page.getByTestId("reset-done")).toContainText("signed out");

  await login(page, email);
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  await login(page, email, NEW_PASSWORD);
  await expect(page.getByTestId("dashboard")).toBeVisible();

  await laptopPage.goto("/dashboard");
  await expect(laptopPage).toHaveURL(/\/login/);
  await laptop.close();

  // The link worked once; opened again it says so and offers a new one.
  await page.goto(link);
  await expect(page.getByTestId("reset-error")).toContainText("already used");
  await page.getByRole("link", { name: "Request a new link" }).click();
  await expect(page.getByTestId("reset-email")).toBeVisible();
});

test("a reset request for an address without an account gets the same answer, and a broken link says so plainly", async ({ page }) => {
  await page.goto("/forgot-password");
  const nobody = newEmail("nobody");
  await page.getByTestId("reset-email").fill(nobody);
  await page.getByTestId("send-reset").click();
  await expect(page.getByTestId("reset-requested")).toContainText(`If ${nobody} belongs to an account, we sent it a link`);

  await page.goto("/reset-password?token=not-a-real-link");
  await expect(page.getByTestId("reset-error")).toHaveText("This password reset link is not valid. Request a new one below.");
  await expect(page.getByTestId("new-password")).toHaveCount(0);
});
