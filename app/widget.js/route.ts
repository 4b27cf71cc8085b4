import { widgetLoaderResponse } from "@/server/channels/widget-loader";
import { getDb } from "@/server/db";

export const dynamic = "force-dynamic";

/** The loader every snippet points at, with the configs of the widgets this page's origin may embed. */
export const GET = (req: Request) => widgetLoaderResponse(getDb(), req);
