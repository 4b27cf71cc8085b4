import { expect, test, type Page } from "@playwright/test";
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

// An iPhone 12/13/14-sized screen: the narrowest phone most business owners carry.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

// Long enough to break any layout that does not wrap: a real company's legal name and a long mailbox.
const COMPANY = "Northwind Outdoor Equipment & Mountaineering Supplies International Cooperative";
const PAGES = [
  { link: "Overview", path: "/dashboard", heading: `Welcome to ${COMPANY}` },
  { link: "Channels", path: "/dashboard/channels", heading: "Channels" },
  { link: "Flows", path: "/dashboard/flows", heading: "Flows" },
  { link: "AI models", path: "/dashboard/models", heading: "AI models" },
  { link: "Team", path: "/dashboard/team", heading: "Team" },
  { link: "API keys", path: "/dashboard/api-keys", heading: "API keys" },
  { link: "Account", path: "/dashboard/account", heading: "Account" },
];

/** Fails naming the elements that stick out past the right edge, so a regression says where it is. */
async function expectNoHorizontalScroll(page: Page) {
  // Wait until the page shows its data, not a placeholder.
  await expect(page.getByTestId("page-skeleton")).toHaveCount(0);
  await expect(page.getByText("Loading…")).toHaveCount(0);
  const layout = await page.evaluate(() => {
    const root = document.documentElement;
    // Content inside a box that scrolls by itself (a table, a code block) is allowed past the edge.
    const insideScroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !insideScroller(el))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""}`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  });
  expect(layout.scrollWidth, `${page.url()} scrolls sideways; too wide: ${layout.wide.join(", ")}`).toBeLessThanOrEqual(layout.clientWidth);
}

/** The navigation element itself, found also while the drawer is closed (hidden from roles). */
const drawer = (page: Page) => page.locator("nav#dashboard-nav");

async function openMenu(page: Page) {
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(drawer(page)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  return drawer(page);
}

test("on a phone every page fits the screen, the menu opens and navigates, and the test widget answers", async ({ page }) => {
  for (const path of ["/", "/signup", "/login"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoHorizontalScroll(page);
  }

  const email = newEmail("owner-of-a-rather-long-mailbox-name-for-the-phone-check");
  await registerAndVerify(page, mail, email, COMPANY);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();
  await expectNoHorizontalScroll(page);

  // Data that widens pages when a layout lets it: a saved widget with its snippet, a new API key, a pending invitation.
  await page.goto("/dashboard/channels");
  await page.getByTestId("enable-web-widget").check();
  await page.getByTestId("widget-title").fill("Northwind Help Desk");
  await page.getByTestId("save-widget-config").click();
  await expect(page.getByTestId("config-saved")).toBeVisible();
  await expect(page.getByTestId("embed-snippet")).toContainText("widget.js");
  await expectNoHorizontalScroll(page);

  await page.goto("/dashboard/api-keys");
  await page.getByRole("main").getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();
  await expectNoHorizontalScroll(page);

  await page.goto("/dashboard/team");
  await page.getByTestId("invite-email").fill(newEmail("a-teammate-with-an-equally-long-address-to-invite"));
  await page.getByTestId("send-invite").click();
  await expect(page.getByRole("main")).toContainText("a-teammate-with-an-equally-long-address-to-invite");
  await expectNoHorizontalScroll(page);

  // Every page is reached through the menu, which closes behind the chosen link and marks it as the current page.
  await page.goto("/dashboard");
  const titles = new Set<string>();
  for (const target of PAGES) {
    const nav = await openMenu(page);
    await nav.getByRole("link", { name: target.link, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${target.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(target.heading);
    await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
    await expect(drawer(page)).toBeHidden();
    await expect(drawer(page).getByRole("link", { name: target.link, exact: true, includeHidden: true })).toHaveAttribute("aria-current", "page");
    await expect(drawer(page).locator("[aria-current=page]")).toHaveCount(1);
    await expectNoHorizontalScroll(page);
    await expect(page).toHaveTitle(/ · Chatbot Platform$/);
    titles.add(await page.title());
  }
  expect(titles.size, [...titles].join(" | ")).toBe(PAGES.length);

  // Escape closes the drawer and gives focus back to the button that opened it.
  await openMenu(page);
  await page.keyboard.press("Escape");
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(drawer(page)).toBeHidden();
  await expect(menu).toBeFocused();

  // The API reference, linked from the menu, fits too.
  const nav = await openMenu(page);
  await nav.getByRole("link", { name: "API docs" }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page.getByRole("heading", { name: "POST /api/v2/chat/message" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "GET /api/v2/health" })).toBeVisible();
  await expect(page).toHaveTitle("API reference · Chatbot Platform");
  await expectNoHorizontalScroll(page);

  // The test widget on the overview opens within the screen and answers.
  await page.goto("/dashboard");
  await page.getByTestId("test-widget").click();
  const widget = page.getByTestId("chat-widget");
  await expect(widget).toContainText("Northwind Help Desk");
  await page.getByTestId("chat-input").fill("Hello");
  await page.getByTestId("send-message").click();
  await expect(page.getByTestId("bot-response").first()).not.toBeEmpty();
  const box = await widget.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 390, `widget at ${JSON.stringify(box)}`).toBe(true);
  await expectNoHorizontalScroll(page);
});

test("an unknown dashboard address shows a 404 inside the dashboard, with the menu to get back", async ({ page }) => {
  const email = newEmail("lost");
  await registerAndVerify(page, mail, email);
  await login(page, email);
  await expect(page.getByTestId("dashboard")).toBeVisible();

  await page.goto("/dashboard/no-such-page");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page).toHaveTitle("Page not found · Chatbot Platform");
  await expectNoHorizontalScroll(page);
  const nav = await openMenu(page);
  await nav.getByRole("link", { name: "Flows", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Flows");

  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await page.getByRole("link", { name: "Go to the dashboard" }).click();
  await expect(page.getByTestId("dashboard")).toBeVisible();
});

test.describe("on a wide screen", () => {
  test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false });

  test("the sidebar is always shown, the current page is marked, and keyboard focus is visible", async ({ page }) => {
    const email = newEmail("desk");
    await registerAndVerify(page, mail, email);
    await login(page, email);
    await expect(page.getByTestId("dashboard")).toBeVisible();

    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeVisible();
    await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    await nav.getByRole("link", { name: "Team" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Team");
    await expect(nav.getByRole("link", { name: "Team" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Overview" })).not.toHaveAttribute("aria-current", "page");

    // Tabbing reaches links, inputs and buttons, and each shows a ring (an outline of at least 2 px).
    await page.goto("/dashboard/account");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Account");
    const seen = new Set<string>();
    for (let i = 0; i < 30 && !seen.has("input"); i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { what: `${el.tagName.toLowerCase()} "${el.textContent?.trim() || el.getAttribute("name") || ""}"`, tag: el.tagName.toLowerCase(), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      if (!focused) continue;
      expect(focused.outline, `${focused.what} shows no focus ring`).not.toBe("none");
      expect(focused.width, `${focused.what}: focus ring width`).toBeGreaterThanOrEqual(2);
      seen.add(focused.tag);
    }
    for (const tag of ["a", "button", "input"]) expect(seen, `tabbing never reached a ${tag}`).toContain(tag);
  });
});
