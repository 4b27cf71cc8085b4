import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { expect, type Locator, type Page } from "@playwright/test";
import { searchCatalog } from "../../server/demo/catalog";
import type { startMailCatcher } from "./mail-catcher";
import { login, newEmail, registerAndVerify } from "./account";
import { createFlow } from "./flows";

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

/** The embedded widget on a page (its open shadow root is searched by every locator under it). */
export const widgetOn = (page: Page): Locator => page.locator("[data-chatbot-widget]");

/** The demo store's catalog API on loopback (the port must be admitted by OUTBOUND_ALLOWED_HOSTS). */
export async function startFakeCatalog(port: number): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const found = url.pathname === "/catalog/search";
    res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(found ? searchCatalog(Object.fromEntries(url.searchParams)) : { error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Publishes the demo store flow (product search, orders, handoff) with its integrations pointed at `storeApi`. */
export async function publishDemoFlow(page: Page, storeApi: string): Promise<void> {
  const definition: unknown = JSON.parse(readFileSync(new URL("../../server/flows/demo-flow.json", import.meta.url), "utf8").replaceAll("https://api.acme.example", storeApi));
  await page.goto(await createFlow(page, "Store assistant", definition));
  await page.getByTestId("publish-flow").click();
  await page.getByTestId("confirm-publish").click();
  await expect(page.getByTestId("flow-status")).toContainText("Published as version 1");
}
