import { test, expect } from "vitest";
import "@/server/trpc/root";
import "../helpers/test-db";
test("nothing", () => { expect(1).toBe(1); });
