import { test, expect } from "vitest";
import { createTestDb } from "../helpers/test-db";
test("new pg x5", async () => {
  for (let i = 0; i < 5; i++) { const t = performance.now(); const h = await createTestDb(); console.log("MEAS new", (performance.now() - t).toFixed(0)); await h.dispose(); }
  expect(1).toBe(1);
}, 300000);
