import { lookupOrder } from "@/server/demo/catalog";
import { demoOnly } from "@/server/http/demo-route";

export const dynamic = "force-dynamic";

export const GET = demoOnly(async (_req: Request, ctx: { params: Promise<{ orderNumber: string }> }) => {
  const order = lookupOrder(decodeURIComponent((await ctx.params).orderNumber));
  return order ? Response.json(order) : Response.json({ error: "order not found" }, { status: 404 });
});
