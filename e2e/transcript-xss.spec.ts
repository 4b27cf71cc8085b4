import { expect, test } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

// What an attacker writes as a customer, or an agent pastes: each must show literally and never run.
const PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "javascript:alert(1)"];

test("markup and javascript: links a customer or an agent writes show as text in the inbox transcript and never run", async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const email = newEmail("xss-owner");
  await registerAndVerify(page, mail, email, "Lantern Goods");
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/api-keys");
  await page.getByTestId("api-key-name").fill("Shop backend");
  await page.getByTestId("create-api-key").click();
  const apiKey = (await page.getByTestId("new-api-key").textContent())!.trim();

  // The customer's messages arrive through the REST API, one conversation.
  let conversationId: string | undefined;
  for (const text of PAYLOADS) {
    const res = await request.post("/api/v2/chat/message", {
      headers: { authorization: `Bearer ${apiKey}` },
      data: { user_id: "xss-customer", channel: "web", conversation_id: conversationId, content: { type: "text", text } },
    });
    expect(res.status(), await res.text()).toBe(200);
    conversationId = (await res.json()).data.conversation_id;
  }

  await page.goto(`/dashboard/inbox/${conversationId}`);
  const transcript = page.getByTestId("transcript");
  for (const text of PAYLOADS) await expect(transcript.getByText(text, { exact: true })).toBeVisible();

  // An agent's reply and note are rendered live, then again by the server after a reload.
  await page.getByTestId("take-conversation").click();
  await expect(page.getByTestId("agent-reply-input")).toBeEnabled();
  await page.getByTestId("agent-reply-input").fill("<img src=x onerror=alert(2)> see [docs](javascript:alert(2))");
  await page.getByTestId("send-agent-reply").click();
  await page.getByTestId("note-input").fill("<script>alert(3)</script>");
  await page.getByTestId("add-note").click();
  await expect(transcript.getByText("<img src=x onerror=alert(2)> see [docs](javascript:alert(2))", { exact: true })).toBeVisible();
  await expect(page.getByTestId("transcript-note")).toContainText("<script>alert(3)</script>");

  for (const view of ["live", "server-rendered"]) {
    if (view === "server-rendered") await page.reload();
    await expect(transcript.getByText("<img src=x onerror=alert(2)> see [docs](javascript:alert(2))", { exact: true }), view).toBeVisible();
    for (const text of PAYLOADS) await expect(transcript.getByText(text, { exact: true }), view).toBeVisible();
    await expect(transcript.locator("img, script, iframe, object, embed"), view).toHaveCount(0);
    await expect(page.locator('[href^="javascript:" i], [src^="javascript:" i]'), view).toHaveCount(0);
    await expect(page.locator("[onerror]"), view).toHaveCount(0);
  }
  expect(dialogs).toEqual([]);
});
