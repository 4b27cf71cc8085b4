import { getDb } from "@/server/db";
import { analyticsSummary } from "@/server/analytics/analytics-queries";
import { apiRoute, preflight } from "@/server/http/api-handler";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ req, tenantId }) => {
  const query = new URL(req.url).searchParams;
  return { data: await analyticsSummary(getDb(), tenantId, { from: query.get("from") ?? undefined, to: query.get("to") ?? undefined }) };
});

export const OPTIONS = preflight;
