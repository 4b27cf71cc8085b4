import { test, expect } from "vitest";
import { openDb } from "@/db/client";
test("old way x3", async () => {
  for (let i = 0; i < 3; i++) { const h = openDb({ pgliteDir: "memory://" }); await h.migrate(); await h.close(); }
  expect(1).toBe(1);
}, 300000);
