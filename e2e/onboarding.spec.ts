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

// Our specification's onboarding journey (spec 000, "test_tenant_onboarding_journey"), step for step with its
// selectors, texts and waits. Only step 4 differs: the email is verified through the emailed link, not in SQL.
test("a business signs up, verifies its email, configures the web widget and talks to its bot", async ({ page }) => {
  const email = newEmail("admin");
  const password = "SecurePassword123!";

  // Steps 1-2: registration form.
  const before = mail.count();
  await page.goto("/register");
  await page.fill("[data-testid=company-name]", "Test Company");
  await page.fill("[data-testid=email]", email);
  await page.fill("[data-testid=password]", password);
  await page.fill("[data-testid=confirm-password]", password);
  await page.click("[data-testid=submit-registration]");

  // Step 3: the email confirmation page.
  await page.waitForSelector("[data-testid=email-confirmation]");
  const confirmationText = await page.textContent("[data-testid=confirmation-message]");
  expect(confirmationText?.toLowerCase()).toContain("verify your email");

  // Step 4: verify the email.
  await page.goto(await mail.waitForLink(email, "/verify-email", { after: before }));
  await expect(page.getByTestId("confirmation-message")).toContainText("verified");

  // Step 5: log in.
  await page.goto("/login");
  await page.fill("[data-testid=email]", email);
  await page.fill("[data-testid=password]", password);
  await page.click("[data-testid=login-button]");

  // Step 6-7: the dashboard, whose first HTML already holds the checklist (read at once, no waiting).
  await page.waitForSelector("[data-testid=dashboard]");
  const checklistItems = await page.$$("[data-testid=checklist-item]");
  expect(checklistItems.length).toBeGreaterThanOrEqual(3);
  const labels = await Promise.all(checklistItems.map((item) => item.textContent()));
  expect(labels).toEqual(["Set up a channel", "Configure the web widget", "Connect an AI model", "Publish a flow", "Invite your team"]);
  expect(await page.getAttribute("[data-testid=checklist-item][data-key=widget]", "data-done")).toBe("false");

  // Step 8: basic setup.
  await page.click("[data-testid=setup-channels]");
  await page.waitForSelector("[data-testid=channel-setup]");
  await page.click("[data-testid=enable-web-widget]");
  await page.waitForSelector("[data-testid=widget-config]");
  await page.fill("[data-testid=widget-title]", "Help Assistant");
  await page.fill("[data-testid=widget-welcome]", "How can I help you today?");
  await page.click("[data-testid=save-widget-config]");

  // Step 9: the configuration is saved.
  await page.waitForSelector("[data-testid=config-saved]");
  await expect(page.getByTestId("embed-snippet")).toContainText("widget.js");

  // Step 10: the test widget answers.
  await page.click("[data-testid=test-widget]");
  await page.waitForSelector("[data-testid=chat-widget]");
  await expect(page.getByTestId("chat-widget")).toContainText("Help Assistant");
  await expect(page.getByTestId("chat-widget")).toContainText("How can I help you today?");
  await page.fill("[data-testid=chat-input]", "Hello, this is a test");
  await page.click("[data-testid=send-message]");
  await page.waitForSelector("[data-testid=bot-response]");
  const responseText = await page.textContent("[data-testid=bot-response]");
  // No flow is published yet: the starter flow greets and says what to do next.
  expect(responseText).toContain("Hello! Thanks for reaching out.");
  await expect(page.getByTestId("chat-widget")).toContainText("Hello, this is a test");

  // Saved settings survive a reload, and the checklist now reflects them.
  await page.reload();
  await expect(page.getByTestId("widget-title")).toHaveValue("Help Assistant");
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
