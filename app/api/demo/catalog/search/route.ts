import { searchCatalog } from "@/server/demo/catalog";
import { demoOnly } from "@/server/http/demo-route";

export const dynamic = "force-dynamic";

/** The demo store's catalog API, called by the demo flow's integration state. */
export const GET = demoOnly((req: Request) => Response.json(searchCatalog(Object.fromEntries(new URL(req.url).searchParams))));
