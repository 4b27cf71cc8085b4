import { getDb } from "@/server/db";
import { apiRoute, preflight } from "@/server/http/api-handler";
import { conversationPathSchema, historyQuerySchema } from "@/server/http/query-schemas";
import { getHistory } from "@/server/pipeline/conversation-queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ req, tenantId }) => {
  const url = new URL(req.url);
  const { id } = conversationPathSchema.parse({ id: url.pathname.split("/").at(-2) });
  const q = historyQuerySchema.parse(Object.fromEntries(url.searchParams));
  return { data: await getHistory(getDb(), tenantId, id, q.page, q.page_size) };
});

export const OPTIONS = preflight;
