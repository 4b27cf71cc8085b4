import { expect, test } from "@playwright/test";
import { startFakeLlmServer } from "../tests/helpers/fake-llm-server";
import { startCustomerSite } from "./support/customer-site";
import { createFlow } from "./support/flows";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_LLM_PORT, E2E_SMTP_PORT } from "./support/ports";
import { ownerWithWidget } from "./support/widget";

// A short reply first, then the model's answer: the reply arrives whole, the answer token by token.
const FLOW = {
  name: "streamed-answers",
  version: "1.0",
  initial_state: "intro",
  states: {
    intro: { type: "response", config: { response_templates: { default: "Let me check that for you." } }, transitions: [{ condition: "fallback", target_state: "answer" }] },
    answer: { type: "llm", config: { system_prompt: "You answer for an outdoor shop.", fallback_template: "I can't answer that right now." }, transitions: [{ condition: "any_input", target_state: "intro" }] },
  },
};

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
// On the port playwright.config.ts admits through the SSRF guard (OUTBOUND_ALLOWED_HOSTS).
let provider: Awaited<ReturnType<typeof startFakeLlmServer>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
  provider = await startFakeLlmServer(E2E_LLM_PORT);
});
test.afterAll(async () => {
  await provider.close();
  await mail.close();
});

test("a visitor watches the model's answer grow in the widget, and a cut answer ends with a clear message", async ({ page, browser }) => {
  const origin = "http://127.0.0.1:8096";
  const snippet = await ownerWithWidget(page, mail, { company: "Ridge Outfitters", title: "Ridge chat", origin });

  await page.goto("/dashboard/models");
  await page.getByTestId("model-name").fill("Streaming GPT");
  await page.getByTestId("model-model").fill("gpt-4o-mini");
  await page.getByTestId("model-base-url").fill(provider.baseUrl);
  await page.getByTestId("model-api-key").fill("sk-e2e-stream-key");
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-result")).toHaveText(/^Connected/);
  await page.getByTestId("save-model").click();
  await expect(page.getByTestId("model-saved")).toBeVisible();

  await page.goto(await createFlow(page, "Streamed answers", FLOW));
  await page.getByTestId("publish-flow").click();
  await page.getByTestId("confirm-publish").click();
  await expect(page.getByTestId("flow-status")).toContainText("Published as version 1");

  const site = await startCustomerSite(8096, snippet);
  try {
    const visitor = await browser.newPage();
    await visitor.goto(site.origin);
    const widget = visitor.locator("[data-chatbot-widget]");
    await widget.getByRole("button", { name: "Ridge chat" }).click();

    provider.script("openai", { kind: "text", text: "Our tents are waterproof to 3000 mm.", chunks: 7, chunk_delay_ms: 400 });
    await widget.getByTestId("chat-input").fill("Are your tents waterproof?");
    await widget.getByTestId("send-message").click();
    await expect(widget.getByTestId("bot-response").first()).toHaveText("Let me check that for you.");
    await expect(widget.getByRole("status", { name: "The assistant is typing" })).toBeVisible();
    const answer = widget.getByTestId("bot-response").nth(1);
    // Part of the answer is on screen, still marked busy, before the rest has been written.
    await expect(answer).toContainText("Our tents");
    await expect(answer).toHaveAttribute("aria-busy", "true");
    expect(await answer.textContent()).not.toContain("3000 mm.");
    await expect(answer).toHaveText("Our tents are waterproof to 3000 mm.");
    await expect(answer).not.toHaveAttribute("aria-busy");
    await expect(widget.getByTestId("typing-indicator")).toHaveCount(0);
    await expect(widget.getByTestId("stream-error")).toHaveCount(0);

    // Two pieces, "Shipping takes " and "three days.": the connection drops after the first.
    provider.script("openai", { kind: "cut_after", chunks: 1, text: "Shipping takes three days.", chunk_delay_ms: 300 });
    await widget.getByTestId("chat-input").fill("How long does shipping take?");
    await widget.getByTestId("send-message").click();
    await expect(widget.getByTestId("stream-error")).toHaveText("The answer was cut off. Please ask again.");
    await expect(widget.getByTestId("bot-response").last()).toHaveText("Shipping takes … [The answer was cut off here.]");
    await expect(widget).not.toContainText("three days");
  } finally {
    await site.close();
  }
});
