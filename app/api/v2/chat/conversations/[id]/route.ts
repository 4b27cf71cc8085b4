import { getDb } from "@/server/db";
import { apiRoute, preflight } from "@/server/http/api-handler";
import { conversationPathSchema } from "@/server/http/query-schemas";
import { getConversation } from "@/server/pipeline/conversation-queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ req, tenantId }) => {
  const { id } = conversationPathSchema.parse({ id: new URL(req.url).pathname.split("/").at(-1) });
  return { data: await getConversation(getDb(), tenantId, id) };
});

export const OPTIONS = preflight;
