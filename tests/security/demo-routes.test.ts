import { afterEach, describe, expect, it } from "vitest";
import { GET as searchCatalog } from "@/app/api/demo/catalog/search/route";
import { GET as lookupOrder } from "@/app/api/demo/orders/[orderNumber]/route";
import { resetEnvForTests } from "@/server/env";
import { errorEnvelopeSchema } from "@/server/http/envelope";

const BASE = "http://localhost:3000";
const original = process.env.DEMO_MODE;

function demoMode(value: string | undefined) {
  if (value === undefined) delete process.env.DEMO_MODE;
  else process.env.DEMO_MODE = value;
  resetEnvForTests();
}
afterEach(() => demoMode(original));

const catalog = () => searchCatalog(new Request(`${BASE}/api/demo/catalog/search?category=laptop`));
const order = (orderNumber: string) => lookupOrder(new Request(`${BASE}/api/demo/orders/${orderNumber}`), { params: Promise.resolve({ orderNumber }) });

describe("demo store endpoints", () => {
  it.each([[undefined], [""], ["0"], ["false"]])("do not exist outside demo mode (DEMO_MODE=%s): 404 in the standard envelope", async (value) => {
    demoMode(value);
    for (const res of [await catalog(), await order("ORD123456")]) {
      expect(res.status).toBe(404);
      const body = errorEnvelopeSchema.parse(await res.json());
      expect(body.error.code).toBe("NOT_FOUND");
      expect(JSON.stringify(body)).not.toMatch(/laptop|ORD123456|shipped|price/i);
    }
  });

  it("serve the demo flow's catalog and orders in demo mode", async () => {
    demoMode("1");
    const found = await catalog();
    expect(found.status).toBe(200);
    const { items, count } = (await found.json()) as { items: { category: string }[]; count: number };
    expect(count).toBeGreaterThan(0);
    expect(items.every((p) => p.category === "laptop")).toBe(true);
    const res = await order("ORD123456");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ order_number: "ORD123456" });
  });
});
