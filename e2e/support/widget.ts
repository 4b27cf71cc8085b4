import { expect, type Page } from "@playwright/test";
import type { startMailCatcher } from "./mail-catcher";
import { login, newEmail, registerAndVerify } from "./account";

type Mail = Awaited<ReturnType<typeof startMailCatcher>>;

/**
 * A new verified owner of `company` turns the web widget on for `origin` in the dashboard and takes its
 * snippet, pointed at 127.0.0.1 like the customer's site that embeds it.
 */
export async function ownerWithWidget(page: Page, mail: Mail, opts: { company: string; title: string; origin: string; welcome?: string }): Promise<string> {
  const email = newEmail("widget-owner");
  await registerAndVerify(page, mail, email, opts.company);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/channels");
  await page.getByTestId("enable-web-widget").check();
  await page.getByTestId("widget-title").fill(opts.title);
  if (opts.welcome) await page.getByTestId("widget-welcome").fill(opts.welcome);
  await page.getByTestId("widget-origins").fill(opts.origin);
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toBeVisible();
  return (await page.getByTestId("embed-snippet").textContent())!.replace("localhost", "127.0.0.1");
}
