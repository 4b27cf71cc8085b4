import { lookupOrder } from "@/server/demo/catalog";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ orderNumber: string }> }) {
  const order = lookupOrder(decodeURIComponent((await ctx.params).orderNumber));
  return order ? Response.json(order) : Response.json({ error: "order not found" }, { status: 404 });
}
