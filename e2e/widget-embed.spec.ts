import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { startCustomerSite } from "./support/customer-site";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_LLM_PORT, E2E_SMTP_PORT } from "./support/ports";
import { ownerWithWidget, publishDemoFlow, startFakeCatalog, widgetOn } from "./support/widget";

// A real 1x1 PNG: the server checks an image's bytes, not only its declared type.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)"];
// The page queues API calls before the widget script has loaded, as the README shows.
const QUEUE = `<script>window.ChatbotWidget = window.ChatbotWidget || { q: [] }; window.shown = [];
ChatbotWidget.q.push(["on", "message", function (e) { window.shown.push(e.direction + ": " + e.text); }]);</script>`;

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
// The demo store's catalog, on the port playwright.config.ts admits through the SSRF guard.
let catalog: Awaited<ReturnType<typeof startFakeCatalog>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
  catalog = await startFakeCatalog(E2E_LLM_PORT);
});
test.afterAll(async () => {
  await catalog.close();
  await mail.close();
});

test("a shopper finds a laptop in the widget on the shop's site, keeps the conversation across reloads and tabs, and nothing written executes", async ({ page, browser }) => {
  const siteOrigin = "http://127.0.0.1:8097";
  const snippet = await ownerWithWidget(page, mail, { company: "Byte Outfitters", title: "Byte chat", welcome: "Hi! Looking for something?", origin: siteOrigin });
  expect(snippet).toMatch(/^<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-key="[^"]+" async><\/script>$/);
  await publishDemoFlow(page, catalog.baseUrl);

  const site = await startCustomerSite(8097, QUEUE + snippet);
  const stranger = await startCustomerSite(8098, snippet);
  const visitors = await browser.newContext();
  try {
    const visitor = await visitors.newPage();
    visitor.on("dialog", (dialog) => {
      throw new Error(`a dialog fired: ${dialog.message()}`);
    });
    // The chat bundle is fetched only when the visitor opens the chat.
    const scripts: string[] = [];
    const configReads: string[] = [];
    visitor.on("request", (request) => {
      const { pathname } = new URL(request.url());
      if (request.resourceType() === "script") scripts.push(pathname);
      if (pathname.endsWith("/config")) configReads.push(pathname);
    });
    await visitor.goto(site.origin);
    const widget = widgetOn(visitor);
    const launcher = widget.getByTestId("chat-launcher");
    await expect(launcher).toHaveAccessibleName("Byte chat");
    // The shop's CSS paints every button red; the launcher keeps the brand colour.
    await expect(launcher).not.toHaveCSS("background-color", "rgb(255, 0, 0)");
    expect(scripts.filter((s) => s.startsWith("/widget-chat."))).toEqual([]);
    // This shop names its own origin, so /widget.js brought the config along: the launcher painted without asking.
    expect(configReads).toEqual([]);

    await launcher.click();
    const input = widget.getByTestId("chat-input");
    await expect(input).toBeFocused();
    expect(scripts.filter((s) => s.startsWith("/widget-chat."))).toHaveLength(1);
    await expect(widget.getByTestId("chat-widget")).toContainText("Hi! Looking for something?");
    await expect(widget.getByRole("log")).toHaveAttribute("aria-live", "polite");

    await input.fill("I'm looking for a laptop");
    await input.press("Enter");
    await expect(widget.getByTestId("bot-response").last()).toContainText("budget");
    await input.fill("Under $1000, for programming");
    await widget.getByTestId("send-message").click();
    await expect(widget.getByTestId("bot-response").last()).toContainText("Shall I show you some options?");
    // Quick replies are buttons; one click sends its words.
    await widget.getByRole("button", { name: "Show me some options" }).click();
    const cards = widget.getByRole("list", { name: "Suggestions" }).getByRole("listitem");
    await expect(cards.first()).toContainText("CodeStation Air 13");
    await expect(cards.filter({ hasText: "DevBook Pro 14" })).toContainText("$949");
    await expect(widget.getByTestId("user-message")).toHaveText(["I'm looking for a laptop", "Under $1000, for programming", "Show me some options"]);
    expect(await visitor.evaluate(() => (window as unknown as { shown: string[] }).shown.slice(0, 2))).toEqual(["inbound: I'm looking for a laptop", expect.stringContaining("outbound: ")]);

    // An image goes up, then shows in the log as a thumbnail served by the app; other types are refused before upload.
    let chooser = visitor.waitForEvent("filechooser");
    await widget.getByRole("button", { name: "Attach a file" }).click();
    await (await chooser).setFiles({ name: "tent.png", mimeType: "image/png", buffer: PNG });
    const thumbnail = widget.getByTestId("user-message").last().getByRole("img", { name: "tent.png" });
    await expect(thumbnail).toBeVisible();
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    chooser = visitor.waitForEvent("filechooser");
    await widget.getByRole("button", { name: "Attach a file" }).click();
    await (await chooser).setFiles({ name: "page.html", mimeType: "text/html", buffer: Buffer.from("<b>hi</b>") });
    await expect(widget.getByTestId("upload-error")).toHaveText(/^page\.html can't be sent/);

    // Whatever anyone writes is shown as text: no element, handler or link comes out of it.
    for (const payload of XSS) {
      await input.fill(payload);
      await input.press("Enter");
      await expect(widget.getByTestId("user-message").last()).toHaveText(payload);
    }
    await expect(widget.getByTestId("typing-indicator")).toHaveCount(0);
    await expect(widget.locator("script, img[src='x'], a[href^='javascript']")).toHaveCount(0);

    const axe = await new AxeBuilder({ page: visitor }).include("[data-chatbot-widget]").analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    // Escape closes and gives focus back to the launcher; the keyboard opens it again.
    await input.press("Escape");
    await expect(widget.getByTestId("chat-widget")).toBeHidden();
    await expect(launcher).toBeFocused();
    await visitor.keyboard.press("Enter");
    await expect(input).toBeFocused();

    // A reload, and a second tab of the same site, show the same conversation.
    await visitor.reload();
    await launcher.click();
    await expect(widget.getByTestId("user-message").first()).toHaveText("I'm looking for a laptop");
    await expect(widget.getByRole("list", { name: "Suggestions" }).first()).toContainText("DevBook Pro 14");
    await expect(widget.getByTestId("user-message").last()).toHaveText(XSS[2]!);
    const secondTab = await visitors.newPage();
    await secondTab.goto(site.origin);
    const second = widgetOn(secondTab);
    await second.getByTestId("chat-launcher").click();
    await expect(second.getByTestId("user-message").first()).toHaveText("I'm looking for a laptop");
    await expect(second.getByRole("img", { name: "tent.png" })).toBeVisible();

    // A new conversation in one tab is followed by the other.
    await second.getByTestId("new-conversation").click();
    await expect(second.getByTestId("user-message")).toHaveCount(0);
    await expect(widget.getByTestId("user-message")).toHaveCount(0);
    await second.getByTestId("chat-input").fill("Hello");
    await second.getByTestId("send-message").click();
    await expect(widget.getByTestId("user-message")).toHaveText(["Hello"]);

    // A site that is not an allowed origin gets no chat at all, and the console says why.
    const outsider = await browser.newPage();
    const warnings: string[] = [];
    outsider.on("console", (message) => void (message.type() === "warning" && warnings.push(message.text())));
    await outsider.goto(stranger.origin);
    await expect.poll(() => warnings.join("\n")).toContain("[chatbot-widget] No chat shown");
    expect(warnings.join("\n")).toContain("http://127.0.0.1:8098");
    await expect(widgetOn(outsider)).toHaveCount(0);
    await outsider.close();
  } finally {
    await visitors.close();
    await site.close();
    await stranger.close();
  }
});
