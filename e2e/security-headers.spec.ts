import { expect, test, type APIResponse } from "@playwright/test";
import { login, newEmail, registerAndVerify } from "./support/account";
import { startCustomerSite } from "./support/customer-site";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_PORT, E2E_SMTP_PORT } from "./support/ports";

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
test.beforeAll(async () => {
  mail = await startMailCatcher(E2E_SMTP_PORT);
});
test.afterAll(async () => {
  await mail.close();
});

const PAGES = ["/", "/login", "/signup", "/verify-email?token=x", "/invite?token=x", "/dashboard", "/dashboard/api-keys"];
const APIS = ["/api/v2/health", "/api/v2/openapi.json", "/api/trpc/tenant.list", "/api/widget/wk_missing/config", "/api/v2/chat/message"];

function nonceOf(res: APIResponse): string {
  const csp = res.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, `a script nonce in ${res.url()}'s policy: ${csp}`).toBeTruthy();
  return nonce!;
}

test("every page type carries a nonce CSP that forbids framing, and API answers forbid everything", async ({ page, request }) => {
  const email = newEmail("headers");
  await registerAndVerify(page, mail, email, "Header Check");
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  const session = page.request;

  for (const path of PAGES) {
    const first = await session.get(path);
    const second = await session.get(path);
    const headers = first.headers();
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toContain("object-src 'none'");
    expect(headers["strict-transport-security"], `${path} over plain http`).toBeUndefined();
    const nonce = nonceOf(first);
    expect(nonceOf(second), `${path} gets a fresh nonce per request`).not.toBe(nonce);
    // Next must have put this request's nonce on every script it rendered, or the page would not run.
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length, `${path} renders scripts`).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  }

  for (const path of APIS) {
    const res = path.includes("/chat/") ? await request.post(path, { data: {} }) : await request.get(path);
    expect(res.headers()["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers()["x-frame-options"], path).toBe("DENY");
  }

  const viaTls = { "x-forwarded-proto": "https" };
  for (const path of ["/login", "/api/v2/health"]) {
    expect((await request.get(path, { headers: viaTls })).headers()["strict-transport-security"], path).toContain("max-age=");
  }
  expect((await request.get("/login", { headers: viaTls })).headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
});

test("a foreign site cannot frame the logged-in dashboard, and the dashboard itself runs with no policy violation", async ({ page }) => {
  const email = newEmail("framing");
  await registerAndVerify(page, mail, email, "Frame Check");
  await page.addInitScript(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __violations: string[] }).__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await page.goto("/dashboard/api-keys");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/dashboard/channels");
  await page.getByTestId("enable-web-widget").check();
  await expect(page.getByTestId("save-widget-config")).toBeEnabled();
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);

  const framed = `<iframe id="victim" src="http://127.0.0.1:${E2E_PORT}/dashboard/api-keys" width="800" height="600"></iframe>`;
  const site = await startCustomerSite(8093, framed);
  try {
    const attacker = await page.context().newPage();
    const refusals: string[] = [];
    attacker.on("console", (m) => m.text().includes("frame-ancestors") && refusals.push(m.text()));
    await attacker.goto(site.origin);
    await expect.poll(() => refusals.length, { message: "the browser refuses to frame the dashboard" }).toBeGreaterThan(0);
    // The frame shows the browser's error page, never the dashboard's content.
    expect(attacker.frames().length).toBe(2);
    for (const frame of attacker.frames()) expect(await frame.getByText("API keys").count()).toBe(0);
  } finally {
    await site.close();
  }
});
