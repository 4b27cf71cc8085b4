import { expect, test } from "@playwright/test";
import { startCustomerSite } from "./support/customer-site";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";
import { ownerWithWidget } from "./support/widget";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

test("an agent takes a waiting conversation from the widget, replies live, and hands it back to the bot", async ({ page, browser }) => {
  const siteOrigin = "http://127.0.0.1:8093";
  const snippet = await ownerWithWidget(page, mail, { company: "Trail Gear", title: "Trail Gear chat", origin: siteOrigin });

  const site = await startCustomerSite(8093, snippet);
  try {
    // The agent has the inbox open before the visitor writes: the conversation arrives without a reload.
    await page.goto("/dashboard/inbox");
    await expect(page.getByTestId("inbox")).toBeVisible();
    await expect(page.getByTestId("inbox")).toContainText("No conversations match these filters yet.");

    const visitor = await browser.newPage();
    await visitor.goto(site.origin);
    const widget = visitor.locator("[data-chatbot-widget]");
    await widget.getByTestId("chat-launcher").click();
    await widget.getByTestId("chat-input").fill("I want to talk to a human");
    await widget.getByTestId("send-message").click();
    await expect(widget.getByTestId("bot-response").last()).toHaveText("I'm connecting you with our team. Someone will reply here shortly.");

    const row = page.getByTestId("conversation-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Waiting for agent");
    await expect(row).toContainText("human_escalation");
    await expect(row).toContainText("Bot: I'm connecting you with our team.");
    await row.click();

    const transcript = page.getByTestId("transcript");
    await expect(transcript).toContainText("I want to talk to a human");
    await expect(transcript).toContainText("I'm connecting you with our team.");
    await page.getByTestId("take-conversation").click();
    await expect(page.getByTestId("agent-reply-input")).toBeEnabled();

    await page.getByTestId("agent-reply-input").fill("Hi, I'm from Trail Gear. How can I help with your order?");
    await page.getByTestId("send-agent-reply").click();
    await expect(transcript).toContainText("Hi, I'm from Trail Gear. How can I help with your order?");
    // The visitor sees the person's reply in the open widget, without sending anything.
    await expect(widget.getByTestId("bot-response").last()).toHaveText("Hi, I'm from Trail Gear. How can I help with your order?", { timeout: 5_000 });

    // While the agent has it the bot stays quiet; what the visitor writes reaches the agent live, as text.
    const botAnswers = await widget.getByTestId("bot-response").count();
    await widget.getByTestId("chat-input").fill("My boots <img src=x onerror=alert(1)> are too small");
    await widget.getByTestId("send-message").click();
    await expect(transcript).toContainText("My boots <img src=x onerror=alert(1)> are too small");
    await expect(transcript.locator("img")).toHaveCount(0);
    await expect(widget.getByTestId("bot-response")).toHaveCount(botAnswers);

    // Handed back to the bot at the flow's initial state: the bot answers the visitor again.
    await page.getByTestId("release-conversation").click();
    await expect(page.getByTestId("take-conversation")).toBeVisible();
    await widget.getByTestId("chat-input").fill("thank you");
    await widget.getByTestId("send-message").click();
    await expect(widget.getByTestId("bot-response").last()).toHaveText("You're welcome! Is there anything else I can help with?");
    await expect(transcript).toContainText("You're welcome! Is there anything else I can help with?");
  } finally {
    await site.close();
  }
});
