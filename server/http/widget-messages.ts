import { getKv } from "../cache";
import { receiveInbound } from "../channels/inbound";
import { widgetMessageSchema, type WidgetMessageInput, type WidgetReply } from "../channels/web-widget";
import { getDb } from "../db";
import { messageContentSchema, type InboundMessage, type MessageContent } from "../pipeline/message-schema";
import type { PipelineDeps } from "../pipeline/process-message";
import type { PipelineResult } from "../pipeline/pipeline-result";
import { attachmentContent, attachmentUrl, findAttachment } from "../uploads/attachments";
import { readJson } from "./api-handler";
import { clientIp } from "./client-ip";
import { successBody, toAppError } from "./envelope";
import { checkWidgetAddressLimit, checkWidgetLimit, enforce } from "./rate-limits";
import { openReplyStream } from "./reply-stream";
import { metaOf } from "./respond";
import { wantsEventStream, type WidgetAnswer, type WidgetContext } from "./widget-route";
import { requireVisitor, type WidgetVisitor } from "./widget-visitor";

const TOO_FAST = "You are sending messages too fast. Please wait a moment.";

const replyOf = (result: PipelineResult): WidgetReply => ({ conversation_id: result.conversation_id, messages: result.response.messages });

/** Text, or an upload of this visitor's on this widget (captioned by the text): another's is a 404. */
async function contentOf(ctx: WidgetContext, visitor: WidgetVisitor, input: WidgetMessageInput): Promise<MessageContent> {
  if (input.attachment_id === undefined) return { type: "text", text: input.text! };
  const row = await findAttachment(getDb(), { tenantId: ctx.tenantId, channelId: ctx.channelId, id: input.attachment_id, endUserId: visitor.endUserId });
  return messageContentSchema.parse(attachmentContent(row, attachmentUrl(ctx.key, row.id), input.text));
}

/**
 * POST /api/widget/{key}/messages. Admission runs narrowest first: per client address, then the token, then
 * the per-end-user limit (the one inbound path's, receiveInbound, as for every channel), and only then the
 * whole widget's share, so a flood refused per address or per visitor does not use it up.
 * With `Accept: text/event-stream` the same turn is answered as events (see openReplyStream), ending with
 * `done` carrying the envelope the plain answer has.
 */
export function widgetMessages(depsFor: () => PipelineDeps) {
  return async (ctx: WidgetContext): Promise<WidgetAnswer> => {
    const { req, requestId, started, tenantId, origin } = ctx;
    const kv = getKv();
    enforce(await checkWidgetAddressLimit(kv, clientIp(req)), TOO_FAST);
    const visitor = requireVisitor(ctx);
    const input = widgetMessageSchema.parse(await readJson(req));
    const shared = async () => enforce(await checkWidgetLimit(kv, tenantId), "This chat is very busy right now. Please try again in a minute.");
    const inbound: InboundMessage = {
      user_id: visitor.endUserId,
      channel: "web",
      sameChannelOnly: true,
      conversation_id: input.conversation_id,
      startNew: input.new_conversation,
      message_id: input.message_id,
      content: await contentOf(ctx, visitor, input),
      // The name and email the site or visitor gave travel with each message, so the inbox shows who it is.
      channel_metadata: { origin, ...(visitor.name && { user_name: visitor.name }), ...(visitor.email && { email: visitor.email }) },
    };
    if (!wantsEventStream(req)) return { data: replyOf(await receiveInbound(depsFor(), tenantId, inbound, { tooFast: TOO_FAST, shared })) };
    const stream = await openReplyStream({
      run: (onEvent) => receiveInbound(depsFor(), tenantId, inbound, { tooFast: TOO_FAST, shared, onEvent }),
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
