import { expect, test, type Browser, type Page } from "@playwright/test";
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

/** A signed-up, logged-in owner on the team page of a workspace named `company`. */
async function ownerOnTeamPage(page: Page, company: string) {
  const email = newEmail("owner");
  await registerAndVerify(page, mail, email, company);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/team");
  return email;
}

/** Sends an invitation from the team page and returns the link it mailed. */
async function invite(page: Page, email: string, role: "member" | "admin" = "member") {
  const before = mail.count();
  await page.getByTestId("invite-email").fill(email);
  await page.getByTestId("invite-role").selectOption(role);
  await page.getByTestId("send-invite").click();
  await expect(page.getByTestId("invite-result")).toContainText(email);
  return mail.waitForLink(email, "/invite", { after: before });
}

/** A browser of its own for the invited person: nobody is logged in there. */
async function freshPage(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test("an invited person signs up from the link without a company and lands in the inviting workspace", async ({ page, browser }) => {
  const company = `Team Outdoor ${Date.now()}`;
  const ownerEmail = await ownerOnTeamPage(page, company);
  const invitee = newEmail("invitee");
  const firstLink = await invite(page, invitee);
  await expect(page.getByTestId("invitation-row")).toHaveCount(1);

  // Inviting the pending address again sends a new link in place of the old one: still one row.
  const latestLink = await invite(page, invitee);
  expect(latestLink).not.toBe(firstLink);
  await expect(page.getByTestId("invite-result")).toContainText("A new invitation was sent");
  await expect(page.getByTestId("invitation-row")).toHaveCount(1);

  const theirs = await freshPage(browser);
  await theirs.goto(firstLink);
  await expect(theirs.getByTestId("invite-error")).toHaveText("This invitation was replaced by a newer one; use the latest email.");

  await theirs.goto(latestLink);
  await expect(theirs.getByTestId("invite-summary")).toContainText(company);
  await expect(theirs.getByTestId("company-name")).toHaveCount(0);
  await expect(theirs.getByTestId("email")).toHaveValue(invitee);
  await expect(theirs.getByTestId("email")).toHaveAttribute("readonly", "");
  await theirs.getByTestId("password").fill(PASSWORD);
  await theirs.getByTestId("confirm-password").fill(PASSWORD);
  await theirs.getByTestId("submit-registration").click();
  await expect(theirs.getByTestId("dashboard")).toContainText(`Welcome to ${company}`);

  // A member sees the team but none of the actions they cannot take.
  await theirs.goto("/dashboard/team");
  await expect(theirs.getByTestId("member-row")).toHaveCount(2);
  await expect(theirs.getByTestId("send-invite")).toHaveCount(0);
  await expect(theirs.getByTestId("remove-member")).toHaveCount(0);

  // The used link says so.
  await theirs.goto(latestLink);
  await expect(theirs.getByTestId("invite-error")).toContainText("already been accepted");

  // Removing asks first; Cancel keeps the member, and the owner is never offered their own removal.
  await page.reload();
  const ownerRow = page.getByTestId("member-row").filter({ hasText: ownerEmail });
  const inviteeRow = page.getByTestId("member-row").filter({ hasText: invitee });
  await expect(ownerRow.getByTestId("remove-member")).toHaveCount(0);
  await inviteeRow.getByTestId("remove-member").click();
  await expect(inviteeRow.getByTestId("remove-member-question")).toContainText(`Remove ${invitee} from the workspace?`);
  await inviteeRow.getByTestId("cancel-remove-member").click();
  await expect(page.getByTestId("member-row")).toHaveCount(2);
  await inviteeRow.getByTestId("remove-member").click();
  await inviteeRow.getByTestId("confirm-remove-member").click();
  await expect(page.getByTestId("member-row")).toHaveCount(1);
  await theirs.context().close();
});

test("a revoked invitation's link says so", async ({ page, browser }) => {
  await ownerOnTeamPage(page, "Revoking Rentals");
  const invitee = newEmail("revoked");
  const link = await invite(page, invitee, "admin");
  const row = page.getByTestId("invitation-row").filter({ hasText: invitee });
  await row.getByTestId("revoke-invite").click();
  await row.getByTestId("confirm-revoke-invite").click();
  await expect(page.getByTestId("invitation-result")).toContainText(`The invitation to ${invitee} was revoked`);
  await expect(page.getByTestId("invitation-row")).toHaveCount(0);

  const theirs = await freshPage(browser);
  await theirs.goto(link);
  await expect(theirs.getByTestId("invite-error")).toContainText("This invitation was revoked");
  await expect(theirs.getByTestId("submit-registration")).toHaveCount(0);
  await theirs.context().close();
});

test("someone with an account logs in from the link and then joins", async ({ page, browser }) => {
  const company = `Joining Goods ${Date.now()}`;
  await ownerOnTeamPage(page, company);
  const theirs = await freshPage(browser);
  const existing = newEmail("existing");
  await registerAndVerify(theirs, mail, existing, "Their Own Shop");
  const link = await invite(page, existing);

  await theirs.goto(link);
  await theirs.getByTestId("login-to-accept").click();
  await theirs.getByTestId("email").fill(existing);
  await theirs.getByTestId("password").fill(PASSWORD);
  await theirs.getByTestId("login-button").click();
  await expect(theirs.getByTestId("invite-summary")).toContainText(company);
  await theirs.getByTestId("accept-invite").click();
  await expect(theirs.getByTestId("dashboard")).toContainText(`Welcome to ${company}`);
  await theirs.context().close();
});
