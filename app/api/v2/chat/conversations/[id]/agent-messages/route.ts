import { getDb } from "@/server/db";
import { apiRoute, preflight, readJson } from "@/server/http/api-handler";
import { conversationPathSchema } from "@/server/http/query-schemas";
import { agentMessageByApi } from "@/server/inbox/handoff-api";
import { agentMessageRequestSchema } from "@/server/inbox/handoff-schemas";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ req, tenantId }) => {
  const { id } = conversationPathSchema.parse({ id: new URL(req.url).pathname.split("/").at(-2) });
  const body = agentMessageRequestSchema.parse(await readJson(req));
  return { data: await agentMessageByApi(getDb(), tenantId, id, body), status: 201 };
});

export const OPTIONS = preflight;
