import { expect, type Page } from "@playwright/test";

/** Sends `text` in the open chat (test widget or embedded widget) and returns the bot messages it answered with. */
export async function say(page: Page, text: string): Promise<string[]> {
  const before = await page.getByTestId("bot-response").count();
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("send-message").click();
  await expect(page.getByTestId("chat-input")).toHaveValue("");
  await expect.poll(() => page.getByTestId("bot-response").count()).toBeGreaterThan(before);
  return page.getByTestId("bot-response").allTextContents().then((all) => all.slice(before));
}
