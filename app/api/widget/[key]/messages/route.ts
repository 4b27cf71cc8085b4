import { getKv } from "@/server/cache";
import { widgetMessageSchema, type WidgetReply } from "@/server/channels/web-widget";
import { getDb } from "@/server/db";
import { readJson } from "@/server/http/api-handler";
import { clientIp } from "@/server/http/client-ip";
import { checkEndUserLimit, checkWidgetAddressLimit, checkWidgetLimit, enforce } from "@/server/http/rate-limits";
import { widgetPreflight, widgetRoute } from "@/server/http/widget-route";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";

export const dynamic = "force-dynamic";

const TOO_FAST = "You are sending messages too fast. Please wait a moment.";

/**
 * Anonymous visitors of the tenant's site. Limits run narrowest first, each only once the previous one
 * admitted the message, so a flood refused per address or per visitor does not use up the whole widget's share.
 */
export const POST = widgetRoute(async ({ req, tenantId, origin }) => {
  const kv = getKv();
  enforce(await checkWidgetAddressLimit(kv, clientIp(req)), TOO_FAST);
  const input = widgetMessageSchema.parse(await readJson(req));
  const userId = `web:${input.visitor_id}`;
  enforce(await checkEndUserLimit(kv, tenantId, userId), TOO_FAST);
  enforce(await checkWidgetLimit(kv, tenantId), "This chat is very busy right now. Please try again in a minute.");
  const result = await processMessage(pipelineDepsFor(getDb()), tenantId, {
    user_id: userId,
    channel: "web",
    sameChannelOnly: true,
    conversation_id: input.conversation_id,
    startNew: input.new_conversation,
    message_id: input.message_id,
    content: { type: "text", text: input.text },
    channel_metadata: { origin },
  });
  const data: WidgetReply = { conversation_id: result.conversation_id, messages: result.response.messages };
  return { data };
});

export const OPTIONS = widgetPreflight;
