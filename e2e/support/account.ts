import { expect, type Page } from "@playwright/test";
import type { startMailCatcher } from "./mail-catcher";

export const PASSWORD = "launch-day-2026";
export const newEmail = (tag: string) => `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
type Mail = Awaited<ReturnType<typeof startMailCatcher>>;

export async function register(page: Page, fields: { company?: string; email: string; password?: string; confirm?: string }) {
  await page.goto("/signup");
  await page.getByTestId("company-name").fill(fields.company ?? "Acme Outdoor");
  await page.getByTestId("email").fill(fields.email);
  await page.getByTestId("password").fill(fields.password ?? PASSWORD);
  await page.getByTestId("confirm-password").fill(fields.confirm ?? fields.password ?? PASSWORD);
  await page.getByTestId("submit-registration").click();
}

export async function login(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByTestId("email").fill(email);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("login-button").click();
}

export async function registerAndVerify(page: Page, mail: Mail, email: string, company?: string) {
  const before = mail.count();
  await register(page, { email, company });
  await expect(page.getByTestId("email-confirmation")).toContainText(email);
  await page.goto(await mail.waitForLink(email, "/verify-email", { after: before }));
  await expect(page.getByTestId("confirmation-message")).toContainText("verified");
}
