import { getDb } from "@/server/db";
import { widgetMessages } from "@/server/http/widget-messages";
import { widgetPreflight, widgetRoute } from "@/server/http/widget-route";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";

export const dynamic = "force-dynamic";

export const POST = widgetRoute(widgetMessages(() => pipelineDepsFor(getDb())));

export const OPTIONS = widgetPreflight;
