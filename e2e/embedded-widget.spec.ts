import { expect, test } from "@playwright/test";
import { startCustomerSite } from "./support/customer-site";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_PORT, E2E_SMTP_PORT } from "./support/ports";
import { ownerWithWidget } from "./support/widget";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

test("a visitor chats through the widget embedded on the business's own site, and other sites are refused", async ({ page, browser }) => {
  const allowedOrigin = "http://127.0.0.1:8091";
  const snippet = await ownerWithWidget(page, mail, { company: "Trail Gear", title: "Trail Gear chat", welcome: "Hi hiker! Ask us anything.", origin: allowedOrigin });
  expect(snippet).toContain(`127.0.0.1:${E2E_PORT}/widget.js`);

  const site = await startCustomerSite(8091, snippet);
  const stranger = await startCustomerSite(8092, snippet);
  try {
    const visitor = await browser.newPage();
    await visitor.goto(site.origin);
    const widget = visitor.locator("[data-chatbot-widget]");
    await widget.getByRole("button", { name: "Trail Gear chat" }).click();
    await expect(widget).toContainText("Hi hiker! Ask us anything.");
    await widget.getByPlaceholder("Type a message…").fill("Hello <b>there</b>");
    await widget.getByRole("button", { name: "Send" }).click();
    await expect(widget).toContainText("Thanks for reaching out");
    // Visitor text is shown as typed, never interpreted as HTML.
    await expect(widget).toContainText("Hello <b>there</b>");
    await expect(widget.locator("b")).toHaveCount(0);

    // The conversation continues after a reload of the customer's page.
    await visitor.reload();
    await widget.getByRole("button", { name: "Trail Gear chat" }).click();
    await widget.getByPlaceholder("Type a message…").fill("I want to talk to a human");
    await widget.getByRole("button", { name: "Send" }).click();
    await expect(widget).toContainText("connecting you with our team");

    // Waiting for a person is never silence: each message is answered with the handoff's message.
    const handoffAnswers = widget.getByText("I'm connecting you with our team. Someone will reply here shortly.");
    await expect(handoffAnswers).toHaveCount(1);
    await widget.getByPlaceholder("Type a message…").fill("hello? is anyone there?");
    await widget.getByRole("button", { name: "Send" }).click();
    await expect(handoffAnswers).toHaveCount(2);

    // "New conversation" starts over with the bot on a new conversation, not the waiting one.
    const key = snippet.match(/data-key="([^"]+)"/)![1]!;
    // The widget remembers the visitor's token and conversation per widget key.
    const storedConversation = () => visitor.evaluate((k) => JSON.parse(localStorage.getItem(`cbp:${k}`) ?? "{}").conversation as string | undefined, key);
    expect(await visitor.evaluate((k) => typeof JSON.parse(localStorage.getItem(`cbp:${k}`) ?? "{}").token, key)).toBe("string");
    const waitingConversation = await storedConversation();
    expect(waitingConversation).toMatch(/^[0-9a-f-]{36}$/);
    await widget.getByRole("button", { name: "New conversation" }).click();
    await expect(widget).not.toContainText("hello? is anyone there?");
    await expect(widget).toContainText("Hi hiker! Ask us anything.");
    await widget.getByPlaceholder("Type a message…").fill("Hello again");
    await widget.getByRole("button", { name: "Send" }).click();
    // The bot answers again, and knows this visitor has been here before.
    await expect(widget).toContainText("Welcome back! How can I help you today?");
    await expect(handoffAnswers).toHaveCount(0);
    const newConversation = await storedConversation();
    expect(newConversation).toMatch(/^[0-9a-f-]{36}$/);
    expect(newConversation).not.toBe(waitingConversation);

    const outsider = await browser.newPage();
    await outsider.goto(stranger.origin);
    await outsider.waitForLoadState("networkidle");
    await expect(outsider.locator("[data-chatbot-widget]")).toHaveCount(0);
    const direct = await outsider.evaluate(
      async ([port, k]) => (await fetch(`http://127.0.0.1:${port}/api/widget/${k}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "hi" }) }).catch(() => null))?.status ?? "blocked",
      [E2E_PORT, key] as const,
    );
    expect(direct).toBe("blocked");
  } finally {
    await site.close();
    await stranger.close();
  }
});
