import { test, expect } from "vitest";
import { createTestDb } from "../helpers/test-db";
test("new way x3", async () => {
  for (let i = 0; i < 3; i++) { const h = await createTestDb(); await h.dispose(); }
  expect(1).toBe(1);
}, 300000);
