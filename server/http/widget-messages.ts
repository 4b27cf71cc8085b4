import { getKv } from "../cache";
import { widgetMessageSchema, type WidgetReply } from "../channels/web-widget";
import { processMessage, type PipelineDeps } from "../pipeline/process-message";
import type { PipelineResult } from "../pipeline/pipeline-result";
import { readJson } from "./api-handler";
import { clientIp } from "./client-ip";
import { successBody, toAppError } from "./envelope";
import { checkEndUserLimit, checkWidgetAddressLimit, checkWidgetLimit, enforce } from "./rate-limits";
import { openReplyStream } from "./reply-stream";
import { metaOf } from "./respond";
import { wantsEventStream, type WidgetAnswer, type WidgetContext } from "./widget-route";

const TOO_FAST = "You are sending messages too fast. Please wait a moment.";

const replyOf = (result: PipelineResult): WidgetReply => ({ conversation_id: result.conversation_id, messages: result.response.messages });

/**
 * POST /api/widget/{key}/messages, for anonymous visitors of the tenant's site. Limits run narrowest first,
 * each only once the previous one admitted the message, so a flood refused per address or per visitor does
 * not use up the whole widget's share. With `Accept: text/event-stream` the same turn is answered as events
 * (see openReplyStream), ending with `done` carrying the envelope the plain answer has.
 */
export function widgetMessages(depsFor: () => PipelineDeps) {
  return async ({ req, requestId, started, tenantId, origin }: WidgetContext): Promise<WidgetAnswer> => {
    const kv = getKv();
    enforce(await checkWidgetAddressLimit(kv, clientIp(req)), TOO_FAST);
    const input = widgetMessageSchema.parse(await readJson(req));
    const userId = `web:${input.visitor_id}`;
    enforce(await checkEndUserLimit(kv, tenantId, userId), TOO_FAST);
    enforce(await checkWidgetLimit(kv, tenantId), "This chat is very busy right now. Please try again in a minute.");
    const inbound = {
      user_id: userId,
      channel: "web" as const,
      sameChannelOnly: true,
      conversation_id: input.conversation_id,
      startNew: input.new_conversation,
      message_id: input.message_id,
      content: { type: "text" as const, text: input.text },
      channel_metadata: { origin },
    };
    if (!wantsEventStream(req)) return { data: replyOf(await processMessage(depsFor(), tenantId, inbound)) };
    const stream = await openReplyStream({
      run: (onEvent) => processMessage(depsFor(), tenantId, inbound, { onEvent }),
      messagesOf: (result) => result.response.messages,
      done: (result) => successBody(replyOf(result), metaOf(requestId, started)),
      failed: (error) => {
        const appError = toAppError(error, requestId);
        if (appError.code === "INTERNAL_ERROR") console.error(`[widget] streamed turn failed ${requestId}`, error);
        return { code: appError.code, message: appError.message };
      },
    });
    return { stream };
  };
}
