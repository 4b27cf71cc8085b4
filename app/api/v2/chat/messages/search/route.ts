import { getDb } from "@/server/db";
import { apiRoute, preflight } from "@/server/http/api-handler";
import { searchQuerySchema } from "@/server/http/query-schemas";
import { searchMessages } from "@/server/pipeline/conversation-queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ req, tenantId }) => {
  const q = searchQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return { data: await searchMessages(getDb(), tenantId, q.q, q.limit) };
});

export const OPTIONS = preflight;
