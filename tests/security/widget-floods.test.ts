import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import { errorEnvelopeSchema } from "@/server/http/envelope";
import { checkWidgetLimit, END_USER_LIMIT, WIDGET_ADDRESS_LIMIT, WIDGET_LIMIT, WIDGET_SESSION_LIMIT } from "@/server/http/rate-limits";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { freshAddress, openWidgetSite, postWidget, startSession, visitorToken } from "./support/widget-site";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

async function expectRateLimited(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  const body = errorEnvelopeSchema.parse(await res.json());
  expect(body.error).toMatchObject({ code: "RATE_LIMITED", details: { retry_after_seconds: retryAfter } });
}

describe("anonymous widget floods", () => {
  it("answers one client address at most the per-address limit a minute however many visitor ids it makes up, and keeps serving other addresses", async () => {
    const site = await openWidgetSite(handle.db, "flooded");
    const flooder = freshAddress();
    const statuses: number[] = [];
    let refusal: Response | undefined;
    for (let i = 0; i < 200; i++) {
      const res = await postWidget(site.key, { text: "hi" }, { address: flooder });
      statuses.push(res.status);
      if (res.status !== 200) refusal ??= res;
      else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(WIDGET_ADDRESS_LIMIT);
    expect(statuses.slice(WIDGET_ADDRESS_LIMIT).every((s) => s === 429)).toBe(true);
    await expectRateLimited(refusal!);

    const neighbour = await postWidget(site.key, { text: "hi" }, { address: freshAddress() });
    expect(neighbour.status).toBe(200);
  });

  it("limits one visitor token however many addresses it comes from, and its refused messages leave the widget's share to the others", async () => {
    const site = await openWidgetSite(handle.db, "chatty");
    const token = await visitorToken(site.key);
    const statuses: number[] = [];
    for (let i = 0; i <= END_USER_LIMIT; i++) statuses.push((await postWidget(site.key, { text: `message ${i}` }, { address: freshAddress(), token })).status);
    expect(statuses.slice(0, END_USER_LIMIT).every((s) => s === 200)).toBe(true);
    await expectRateLimited(await postWidget(site.key, { text: "one more" }, { address: freshAddress(), token }));
    for (let i = 0; i < 20; i++) expect((await postWidget(site.key, { text: "still trying" }, { address: freshAddress(), token })).status).toBe(429);
    // Only the END_USER_LIMIT messages that went through were counted against the whole widget (this check is one more).
    expect((await checkWidgetLimit(kv, site.tenantId))?.remaining).toBe(WIDGET_LIMIT - END_USER_LIMIT - 1);
  });

  it("caps one widget's visitors together per minute, without counting messages refused per address", async () => {
    const site = await openWidgetSite(handle.db, "popular");
    const other = await openWidgetSite(handle.db, "quiet");
    // One flooding address is refused per address; its refusals must not use up the widget's share.
    const flooder = freshAddress();
    for (let i = 0; i < WIDGET_ADDRESS_LIMIT * 2; i++) await postWidget(site.key, { text: "hi" }, { address: flooder });
    // The rest of the widget's share, from many addresses, ten at a time.
    const statuses: number[] = [];
    for (let sent = WIDGET_ADDRESS_LIMIT; sent < WIDGET_LIMIT; sent += 10) {
      const batch = Array.from({ length: Math.min(10, WIDGET_LIMIT - sent) }, () => postWidget(site.key, { text: "hi" }, { address: freshAddress() }));
      statuses.push(...(await Promise.all(batch)).map((r) => r.status));
    }
    expect(statuses).toHaveLength(WIDGET_LIMIT - WIDGET_ADDRESS_LIMIT);
    expect(statuses.every((s) => s === 200)).toBe(true);
    await expectRateLimited(await postWidget(site.key, { text: "hi" }, { address: freshAddress() }));
    // Another tenant's widget is unaffected.
    expect((await postWidget(other.key, { text: "hi" }, { address: freshAddress() })).status).toBe(200);
  });

  it("answers one client address at most the per-address number of session calls a minute, and keeps serving other addresses", async () => {
    const site = await openWidgetSite(handle.db, "sessions");
    const flooder = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i <= WIDGET_SESSION_LIMIT; i++) statuses.push((await startSession(site.key, {}, { address: flooder })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(WIDGET_SESSION_LIMIT);
    expect(statuses.at(-1)).toBe(429);
    await expectRateLimited(await startSession(site.key, {}, { address: flooder }));
    expect((await startSession(site.key, {}, { address: freshAddress() })).status).toBe(200);
  });
});
