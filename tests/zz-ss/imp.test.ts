import { test, expect } from "vitest";
test("imports", async () => {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const m = await import("@/server/trpc/root");
  const r = await import("@/app/api/v2/chat/message/route");
  const db = await import("../helpers/test-db");
  const c = process.cpuUsage(c0);
  console.log("IMPORT wall", (performance.now() - t0).toFixed(0), "cpu", ((c.user + c.system) / 1000).toFixed(0));
  expect(m.appRouter).toBeTruthy(); expect(r).toBeTruthy(); expect(db).toBeTruthy();
});
