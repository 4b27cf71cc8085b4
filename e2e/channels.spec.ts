import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startCustomerSite } from "./support/customer-site";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_LLM_PORT, E2E_PORT, E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

// The owner's pages may write and read the clipboard; the member's context below gets no clipboard at all.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

async function ownerOnChannels(page: Page, company: string) {
  const email = newEmail("channels");
  await registerAndVerify(page, mail, email, company);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/channels");
  await expect(page.getByTestId("channel-setup")).toBeVisible();
  return email;
}

test("an owner styles the widget, copies its snippet, and the launcher sits bottom left in the brand colour on their site", async ({ page, browser }) => {
  await ownerOnChannels(page, "Harbour Supplies");
  // Clicked, as the specification's journey does (other journeys use .check()).
  await page.click("[data-testid=enable-web-widget]");
  await expect(page.getByTestId("widget-config")).toBeVisible();
  await page.getByTestId("widget-title").fill("Harbour chat");

  const picker = page.getByTestId("widget-color");
  const hex = page.getByTestId("widget-color-hex");
  await picker.fill("#aa0000");
  await expect(hex).toHaveValue("#aa0000");
  await hex.fill("#12");
  await hex.blur();
  await expect(page.getByText("Brand colour must be a hex colour like #4f46e5 or #fff")).toBeVisible();
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toHaveCount(0);
  await hex.fill("#0a0");
  await expect(picker).toHaveValue("#00aa00");
  await expect(page.getByText("Brand colour must be a hex colour like #4f46e5 or #fff")).toHaveCount(0);
  await page.getByTestId("widget-position").selectOption({ label: "Bottom left" });
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toBeVisible();

  const snippet = page.getByTestId("embed-snippet");
  await expect(snippet).toContainText(`127.0.0.1:${E2E_PORT}/widget.js`);
  await page.getByTestId("copy-snippet").click();
  await expect(page.getByTestId("copy-snippet")).toHaveText("Copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await snippet.textContent());

  // The identity secret for user_hash: hidden until asked for, copied, and rotated only after an in-page question.
  await expect(page.getByTestId("identity-secret")).toHaveCount(0);
  await expect(page.getByTestId("identity-code-sample")).toContainText('crypto.createHmac("sha256", process.env.CHATBOT_IDENTITY_SECRET).update(user.id).digest("hex")');
  await page.getByTestId("show-identity-secret").click();
  const secret = (await page.getByTestId("identity-secret").textContent())!;
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await page.getByTestId("copy-identity-secret").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.getByTestId("rotate-identity-secret").click();
  await expect(page.getByTestId("rotate-identity-secret-question")).toContainText("Every user_hash made with the current one stops verifying");
  await page.getByTestId("confirm-rotate-identity-secret").click();
  await expect(page.getByTestId("identity-secret-rotated")).toHaveText("A new identity secret was made. Show it and put it on your server.");
  await page.getByTestId("show-identity-secret").click();
  await expect(page.getByTestId("identity-secret")).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  expect(await page.getByTestId("identity-secret").textContent()).not.toBe(secret);

  await page.reload();
  await expect(page.getByTestId("widget-color-hex")).toHaveValue("#0a0");
  await expect(page.getByTestId("widget-position")).toHaveValue("left");
  await expect(page.getByTestId("identity-secret")).toHaveCount(0);

  const site = await startCustomerSite(8094, copied);
  try {
    const visitor = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await visitor.goto(site.origin);
    const launcher = visitor.locator("[data-chatbot-widget]").getByRole("button", { name: "Harbour chat" });
    await expect(launcher).toBeVisible();
    const box = (await launcher.boundingBox())!;
    expect(box.x).toBeLessThan(100);
    expect(box.y).toBeGreaterThan(800 - 120);
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(0, 170, 0)");
  } finally {
    await site.close();
  }
});

test("saving WhatsApp credentials says plainly that WhatsApp is not connected yet, and shows the webhook URL and verify token to give Meta", async ({ page }) => {
  await ownerOnChannels(page, "Quayside Fish");
  const whatsapp = page.getByTestId("channel-whatsapp");
  await expect(page.getByTestId("channel-status-whatsapp")).toHaveText("Status: Not connected: no credentials saved");
  await whatsapp.getByLabel("Phone number ID").fill("1555000");
  await whatsapp.getByLabel("Access token").fill("EAAG-e2e-token");
  await whatsapp.getByLabel("App secret").fill("e2e-app-secret");
  await whatsapp.getByLabel("Webhook verify token").fill("e2e-verify");
  await whatsapp.getByRole("checkbox").check();
  await whatsapp.getByRole("button", { name: "Save WhatsApp" }).click();
  await expect(page.getByTestId("channel-saved-whatsapp")).toHaveText(
    "Credentials saved. WhatsApp is not connected yet: give the platform the webhook URL shown below; it connects once the platform verifies the webhook.",
  );
  await expect(page.getByTestId("channel-status-whatsapp")).toHaveText("Status: Not connected: webhook not verified");
  await expect(whatsapp.getByText("Saved.", { exact: true })).toHaveCount(0);
  // The stored token is never shown again, only a hint of it.
  await expect(whatsapp.getByLabel("Access token")).toHaveValue("");

  const webhook = page.getByTestId("webhook-url-whatsapp");
  await expect(webhook).toHaveText(new RegExp(`^http://127\\.0\\.0\\.1:${E2E_PORT}/api/webhooks/whatsapp/ch_[A-Za-z0-9_-]{22}$`));
  await page.getByTestId("copy-webhook-url-whatsapp").click();
  await expect(page.getByTestId("copy-webhook-url-whatsapp")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await webhook.textContent());
  // Meta checks the webhook with the verify token the owner chose: shown on request, as stored.
  await expect(page.getByTestId("verify-token-whatsapp")).toHaveCount(0);
  await page.getByTestId("show-verify-token-whatsapp").click();
  await expect(page.getByTestId("verify-token-whatsapp")).toHaveText("e2e-verify");

  await page.goto("/dashboard");
  await expect(page.getByTestId("checklist-item").filter({ hasText: "Set up a channel" })).toHaveAttribute("data-done", "false");
});

/**
 * A self-hosted WhatsApp bridge in the specification's format (POST /messages/send), on the loopback port the
 * app's SSRF guard admits in the journeys (playwright.config.ts). It refuses sends until `recover()`.
 */
async function startFakeBridge(port: number) {
  const sends: { to: string; message: string; from?: string }[] = [];
  let refusing = true;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/messages/send") return void res.writeHead(404).end();
      sends.push(JSON.parse(body));
      res.writeHead(refusing ? 401 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(refusing ? { error: "invalid api key" } : { message_id: `mock_${sends.length}`, status: "queued" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, sends, recover: () => void (refusing = false), close: () => new Promise<void>((r) => server.close(() => r())) };
}

test("a WhatsApp bridge's reply the bridge refused is listed with its reason and delivered by Retry", async ({ page, request }) => {
  await ownerOnChannels(page, "Slipway Boats");
  await expect(page.getByTestId("delivery-empty")).toHaveText("Every reply was delivered.");
  const bridge = await startFakeBridge(E2E_LLM_PORT);
  try {
    const whatsapp = page.getByTestId("channel-whatsapp");
    await whatsapp.getByTestId("whatsapp-mode").selectOption("bridge");
    // Bridge mode asks for the bridge, not for Meta's ids and tokens.
    await expect(whatsapp.getByLabel("Phone number ID")).toHaveCount(0);
    await expect(whatsapp.getByLabel("Access token")).toHaveCount(0);
    await whatsapp.getByLabel("API base URL (the bridge's URL)").fill(bridge.url);
    await whatsapp.getByLabel("Bridge number").fill("+15550100");
    await whatsapp.getByLabel("Bridge secret").fill("e2e-bridge-secret");
    await whatsapp.getByRole("checkbox").check();
    await whatsapp.getByRole("button", { name: "Save WhatsApp" }).click();
    await expect(page.getByTestId("channel-saved-whatsapp")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("whatsapp-mode")).toHaveValue("bridge");
    await expect(page.getByTestId("show-verify-token-whatsapp")).toHaveCount(0);

    // The bridge posts a customer's message, signed with the bridge secret, to the channel's webhook URL.
    const webhookUrl = (await page.getByTestId("webhook-url-whatsapp").textContent())!;
    const now = new Date().toISOString();
    const body = JSON.stringify({ event_type: "message.received", timestamp: now, data: { from_number: "+15550123", to_number: "+15550100", message_id: `mock_${Date.now()}`, text: "hello", timestamp: now } });
    const signature = `sha256=${createHmac("sha256", "e2e-bridge-secret").update(body).digest("hex")}`;
    const ack = await request.post(webhookUrl, { data: body, headers: { "content-type": "application/json", "x-bridge-signature": signature } });
    expect(ack.status()).toBe(200);
    // Acknowledged by the production worker itself (server/http/direct-routes.ts), with every /api answer's headers.
    expect(await ack.json()).toMatchObject({ status: "success", data: { received: 1, stored: 1 } });
    expect(ack.headers()).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "content-security-policy": "default-src 'none'; frame-ancestors 'none'" });
    // A forged signature is refused on the same path, and nothing more is sent.
    const forged = await request.post(webhookUrl, { data: body.replace("hello", "hi"), headers: { "content-type": "application/json", "x-bridge-signature": signature } });
    expect(forged.status()).toBe(401);
    expect((await forged.json()).error.code).toBe("UNAUTHORIZED");
    // A body over the webhook cap (1 MB) is refused as too large on the same path, before it is stored.
    const oversized = await request.post(webhookUrl, { data: body.replace("hello", "x".repeat(1024 * 1024)), headers: { "content-type": "application/json", "x-bridge-signature": signature } });
    expect(oversized.status()).toBe(413);
    expect((await oversized.json()).error.code).toBe("PAYLOAD_TOO_LARGE");

    await expect.poll(() => bridge.sends.length, { timeout: 15_000 }).toBe(1);
    expect(bridge.sends[0]).toMatchObject({ to: "+15550123", from: "+15550100", message: expect.stringContaining("Hello! Thanks for reaching out.") });
    const row = page.getByTestId("dead-letter-row");
    await expect(async () => {
      await page.reload();
      await expect(row).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(row).toContainText("WhatsApp");
    await expect(row).toContainText("Refused by the platform");
    await expect(row.getByRole("link")).toHaveText(/^Hello! Thanks for reaching out\./);
    await expect(row.getByRole("link")).toHaveAttribute("href", /^\/dashboard\/inbox\/[0-9a-f-]{36}$/);

    bridge.recover();
    await row.getByTestId("retry-dead-letter").click();
    await expect(page.getByTestId("dead-letters-retried")).toHaveText("Queued 1 reply again: they are sent in order with the next replies.");
    await expect.poll(() => bridge.sends.length, { timeout: 15_000 }).toBe(2);
    expect(bridge.sends[1]).toEqual(bridge.sends[0]);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("delivery-empty")).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  } finally {
    await bridge.close();
  }
});

test("a new API key is copied once, and revoking it asks first", async ({ page }) => {
  await ownerOnChannels(page, "Pier Tools");
  await page.goto("/dashboard/api-keys");
  await page.getByTestId("api-key-name").fill("CI");
  await page.getByTestId("create-api-key").click();
  const key = page.getByTestId("new-api-key");
  await expect(key).toContainText("cbk_");
  await page.getByTestId("copy-api-key").click();
  await expect(page.getByTestId("copy-api-key")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await key.textContent());

  const row = page.getByTestId("api-key-row").filter({ hasText: "CI" });
  await row.getByTestId("revoke").click();
  await expect(row.getByTestId("revoke-question")).toContainText('Revoke "CI"? Anything using it stops working within 10 seconds.');
  await row.getByTestId("cancel-revoke").click();
  await expect(row.getByTestId("revoke")).toBeVisible();
  await expect(row).not.toContainText("revoked");

  await row.getByTestId("revoke").click();
  await row.getByTestId("confirm-revoke").click();
  await expect(row).toContainText("revoked");
  await page.reload();
  await expect(page.getByTestId("api-key-row").filter({ hasText: "CI" })).toContainText("revoked");
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
});

test("a member sees the keys and channels but no create, revoke, enable or save, and copies the snippet by hand without a clipboard", async ({ page, browser }) => {
  await ownerOnChannels(page, "Dockside Crew");
  await page.getByTestId("enable-web-widget").check();
  await expect(page.getByTestId("embed-snippet")).toBeVisible();
  await page.goto("/dashboard/api-keys");
  await page.getByTestId("api-key-name").fill("Website");
  await page.getByTestId("create-api-key").click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();

  const memberEmail = newEmail("member");
  const member = await (await browser.newContext({ baseURL: `http://127.0.0.1:${E2E_PORT}` })).newPage();
  // As on a plain-http page: there is no clipboard API to write to.
  await member.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
  await registerAndVerify(member, mail, memberEmail, "Member's own");
  await login(member, memberEmail);
  await expect(member.getByTestId("dashboard")).toBeVisible();

  await page.goto("/dashboard/team");
  const before = mail.count();
  await page.getByTestId("invite-email").fill(memberEmail);
  await page.getByTestId("send-invite").click();
  await member.goto(await mail.waitForLink(memberEmail, "/invite", { after: before }));
  await member.getByTestId("accept-invite").click();
  await expect(member.getByTestId("dashboard")).toContainText("Dockside Crew");

  await member.goto("/dashboard/api-keys");
  await expect(member.getByTestId("api-key-row").filter({ hasText: "Website" })).toContainText("active");
  await expect(member.getByTestId("revoke")).toHaveCount(0);
  await expect(member.getByTestId("create-api-key")).toHaveCount(0);

  await member.goto("/dashboard/channels");
  await expect(member.getByTestId("channel-status-whatsapp")).toBeVisible();
  await expect(member.getByTestId("enable-web-widget")).toHaveCount(0);
  await expect(member.getByTestId("widget-config")).toHaveCount(0);
  await expect(member.getByRole("button", { name: /^Save/ })).toHaveCount(0);
  await expect(member.getByTestId("widget-settings-summary")).toContainText("Verified identity");
  await expect(member.getByTestId("show-identity-secret")).toHaveCount(0);
  await expect(member.getByTestId("rotate-identity-secret")).toHaveCount(0);
  await expect(member.getByTestId("delivery-empty")).toHaveText("Every reply was delivered.");

  const snippet = member.getByTestId("embed-snippet");
  await member.getByTestId("copy-snippet").click();
  await expect(member.getByTestId("copy-snippet-hint")).toHaveText("Selected: press Ctrl+C (⌘C on a Mac) to copy.");
  expect(await member.evaluate(() => window.getSelection()?.toString())).toBe(await snippet.textContent());
  await member.context().close();
});
