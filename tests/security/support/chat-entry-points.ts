import { afterAll, beforeAll } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import { createApiKey } from "@/server/tenants/api-keys";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../../helpers/test-db";
import { createTestKv } from "../../helpers/test-kv";
import { openWidgetSite } from "./widget-site";

export type ChatEntryPoints = { handle: Awaited<ReturnType<typeof createTestDb>>; apiKey: string; widgetKey: string };

/**
 * For a test file that calls the REST chat routes and the widget routes as the app runs them: a fresh
 * database and cache installed as the app's, one enterprise tenant (no plan limit in the way) with an
 * API key, and a widget site. Read the fields inside tests, after beforeAll has run.
 */
export function useChatEntryPoints(tag: string): ChatEntryPoints {
  const kv = createTestKv();
  const points = {} as ChatEntryPoints;
  beforeAll(async () => {
    points.handle = await createTestDb();
    installDbHandle(points.handle);
    installKv(kv);
    const { tenant } = await createTenantWithOwner(points.handle.db, { companyName: tag, email: `${tag}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan: "enterprise" });
    points.apiKey = (await createApiKey(points.handle.db, tenant.id, null)).key;
    points.widgetKey = (await openWidgetSite(points.handle.db, `${tag}-widget`)).key;
  });
  afterAll(async () => {
    await kv.close();
    await points.handle.dispose();
  });
  return points;
}
