import { randomBytes } from "node:crypto";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { hashPassword } from "@/server/auth/passwords";
import { upsertChannel } from "@/server/channels/channel-service";
import { widgetLoaderResponse, wrapLoader } from "@/server/channels/widget-loader";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";

// In place of the built loader (which npm run build makes after these tests): it only reports what it was handed.
const STAND_IN = "globalThis.handed = typeof __CHATBOT_CONFIGS__ === 'undefined' ? 'none' : __CHATBOT_CONFIGS__;";

let handle: Awaited<ReturnType<typeof createTestDb>>;
// An origin of this run's own: a shared Postgres may hold other files' widgets.
const SHOP = `https://shop-${randomBytes(4).toString("hex")}.example`;
const OTHER = `https://other-${randomBytes(4).toString("hex")}.example`;
const keys: Record<string, string> = {};

async function widget(name: string, enabled: boolean, settings: Record<string, unknown>) {
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: name, email: `${name}-${randomBytes(4).toString("hex")}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  const view = await upsertChannel(handle.db, tenant.id, null, { type: "web", enabled, settings, secrets: {} });
  return { tenantId: tenant.id, key: view.publicKey! };
}

let bikes: Awaited<ReturnType<typeof widget>>;
beforeAll(async () => {
  handle = await createTestDb();
  bikes = await widget("bikes", true, { title: "Bike help", brand_color: "#0f766e", launcher_text: "Ask us", allowed_origins: [OTHER, SHOP] });
  keys.bikes = bikes.key;
  keys.books = (await widget("books", true, { title: "Book chat", allowed_origins: [SHOP] })).key;
  keys.anywhere = (await widget("anywhere", true, { title: "Open to all", allowed_origins: [] })).key;
  keys.disabled = (await widget("disabled", false, { title: "Switched off", allowed_origins: [SHOP] })).key;
  keys.elsewhere = (await widget("elsewhere", true, { title: "Other shop", allowed_origins: [OTHER] })).key;
});
afterAll(async () => {
  await handle.dispose();
});

const load = (headers: Record<string, string> = {}) => widgetLoaderResponse(handle.db, new Request("http://localhost:3000/widget.js", { headers }), () => STAND_IN);

/** Runs the served script as a browser would and returns what the loader was handed. */
async function handedBy(res: Response): Promise<unknown> {
  const sandbox: { handed?: unknown } = {};
  runInNewContext(await res.text(), sandbox);
  return sandbox.handed;
}

describe("GET /widget.js", () => {
  it("hands a page the configs of exactly the enabled widgets that name its origin, across tenants", async () => {
    const res = await load({ referer: `${SHOP}/products/tent?ref=mail` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("vary")).toBe("Referer");
    expect(await handedBy(res)).toEqual({
      [keys.bikes!]: { title: "Bike help", welcome_message: "Hi! How can we help you today?", brand_color: "#0f766e", text_color: "#ffffff", position: "right", launcher_text: "Ask us", require_verified_identity: false },
      [keys.books!]: { title: "Book chat", welcome_message: "Hi! How can we help you today?", brand_color: "#4f46e5", text_color: "#ffffff", position: "right", require_verified_identity: false },
    });
    // Another site gets its own widgets only; one that names nothing, and a page that sends no referrer, get none.
    expect(Object.keys((await handedBy(await load({ referer: `${OTHER}/` }))) as object).sort()).toEqual([keys.bikes, keys.elsewhere].sort());
    expect(await handedBy(await load({ referer: "https://stranger.example/" }))).toEqual({});
    expect(await handedBy(await load())).toEqual({});
    expect(await handedBy(await load({ referer: "javascript:alert(1)" }))).toEqual({});
    // A Referer is only ever read as a URL's origin, and compared as a bound parameter.
    for (const referer of [`${SHOP}' or '1'='1`, `https://x.example/"]}') or true --`, "x".repeat(5000)]) expect(await handedBy(await load({ referer }))).toEqual({});
  });

  it("answers 304 while nothing changed, and serves a widget's edited config on the next page load", async () => {
    const first = await load({ referer: `${SHOP}/` });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const again = await load({ referer: `${SHOP}/`, "if-none-match": `W/${etag}` });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    // The same script for another page is a different answer, so its tag does not match.
    expect((await load({ referer: `${OTHER}/`, "if-none-match": etag })).status).toBe(200);

    await upsertChannel(handle.db, bikes.tenantId, null, { type: "web", settings: { title: "Bike repairs" }, secrets: {} });
    const edited = await load({ referer: `${SHOP}/`, "if-none-match": etag });
    expect(edited.status).toBe(200);
    expect(((await handedBy(edited)) as Record<string, { title: string }>)[keys.bikes!]!.title).toBe("Bike repairs");
  });

  it("still serves the loader when the database cannot be read, so each widget asks for its own config", async () => {
    const broken = new Proxy({}, { get: () => () => { throw new Error("connection refused"); } }) as unknown as Db;
    const res = await widgetLoaderResponse(broken, new Request("http://localhost:3000/widget.js", { headers: { referer: `${SHOP}/` } }), () => STAND_IN);
    expect(res.status).toBe(200);
    expect(await handedBy(res)).toEqual({});
  });
});

describe("the loader's wrapper", () => {
  it("gives the configs to the loader as its own argument, which a global of the host page cannot replace", () => {
    const sandbox: Record<string, unknown> = { __CHATBOT_CONFIGS__: { wk_forged: { title: "Not ours" } } };
    runInNewContext(wrapLoader(STAND_IN, { wk_real: { title: "Ours" } as never }), sandbox);
    expect(sandbox.handed).toEqual({ wk_real: { title: "Ours" } });
  });
});
