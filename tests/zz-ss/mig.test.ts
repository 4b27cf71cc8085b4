import { test, expect } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb, createTestDbLocation } from "../helpers/test-db";
test("timings", async () => {
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage(); const t = performance.now();
    const h = await createTestDb();
    const c = process.cpuUsage(c0);
    const rows = await h.db.execute(sql`select count(*)::int n from information_schema.tables where table_schema='public'`);
    console.log("MEAS", h.kind, "createTestDb wall", (performance.now() - t).toFixed(0), "cpu", ((c.user + c.system) / 1000).toFixed(0), JSON.stringify((rows as any).rows ?? rows));
    await h.dispose();
  }
  const t = performance.now();
  const loc = await createTestDbLocation();
  const h = loc.open();
  await h.migrate();
  const rows = await h.db.execute(sql`select count(*)::int n from information_schema.tables where table_schema='public'`);
  console.log("MEAS location", (performance.now() - t).toFixed(0), JSON.stringify((rows as any).rows ?? rows));
  await h.close(); await loc.dispose();
  expect(1).toBe(1);
}, 120000);
