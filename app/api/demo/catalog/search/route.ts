import { searchCatalog } from "@/server/demo/catalog";

export const dynamic = "force-dynamic";

/** The demo store's catalog API, called by the demo flow's integration state. */
export function GET(req: Request) {
  return Response.json(searchCatalog(Object.fromEntries(new URL(req.url).searchParams)));
}
