import { z } from "zod";
import type { SafeResponse } from "../../security/safe-http";
import { boundedReason, jsonBody, postJson, retryAfterMs } from "./platform-http";
import type { SlackMessage } from "./slack-blocks";
import { DeliveryError, type SendResult } from "./types";

/** Slack's `error` codes that no retry can fix, in the words shown to the tenant. */
const PERMANENT: Record<string, string> = {
  invalid_auth: "Slack refused the bot token; save the Slack channel's bot token again.",
  not_authed: "Slack received no bot token; save the Slack channel's bot token.",
  account_inactive: "The Slack workspace or the bot's account is inactive; reinstall the Slack app and save its new bot token.",
  token_revoked: "The Slack bot token was revoked; reinstall the Slack app and save its new bot token.",
  channel_not_found: "Slack cannot find this conversation's channel; the bot may have been removed from it.",
  not_in_channel: "The bot is not a member of this Slack channel; invite it to the channel.",
  is_archived: "This Slack channel is archived, so nothing can be posted to it.",
  msg_too_long: "The reply is longer than Slack accepts.",
  no_text: "The reply had no text for Slack to post.",
};
/** Slack's own transient failures: the same message is retried later. */
const RETRYABLE = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

// Slack answers HTTP 429 with Retry-After in seconds (older clients saw `ok: false, error: "ratelimited"`).
const rateLimited = (res: SafeResponse, now: number) => new DeliveryError("retryable", "ratelimited", "Slack is rate limiting this app; the reply is retried.", retryAfterMs(res.headers, now));

const answerSchema = z.object({ ok: z.boolean(), error: z.string().max(100).optional(), ts: z.string().optional() });

/** chat.postMessage's answer as a SendResult, or the DeliveryError it means (Slack says errors in a 200). */
export function slackSendResult(res: SafeResponse, now = Date.now()): SendResult {
  if (res.status === 429) throw rateLimited(res, now);
  if (res.status >= 500) throw new DeliveryError("retryable", `http_${res.status}`, `Slack answered ${res.status}; the reply is retried.`, retryAfterMs(res.headers, now));
  const answer = answerSchema.safeParse(jsonBody(res));
  if (res.status === 200 && answer.data?.ok && answer.data.ts) return { providerMessageId: answer.data.ts };
  const error = answer.data?.error;
  if (!error) throw new DeliveryError("permanent", `http_${res.status}`, `Slack answered ${res.status} without saying why.`);
  if (error === "ratelimited") throw rateLimited(res, now);
  if (RETRYABLE.has(error)) throw new DeliveryError("retryable", error, `Slack had a temporary failure (${error}); the reply is retried.`);
  throw new DeliveryError("permanent", error, PERMANENT[error] ?? boundedReason(`Slack refused the message: ${error}.`));
}

/** Posts one message to a Slack channel (in a thread when given) with the bot token. */
export async function postSlackMessage(opts: { apiBaseUrl: string; botToken: string; channel: string; threadTs?: string; message: SlackMessage; signal?: AbortSignal }): Promise<SendResult> {
  const url = `${opts.apiBaseUrl.replace(/\/+$/, "")}/chat.postMessage`;
  const body = { channel: opts.channel, ...(opts.threadTs && { thread_ts: opts.threadTs }), ...opts.message };
  const res = await postJson(url, { authorization: `Bearer ${opts.botToken}`, "content-type": "application/json; charset=utf-8" }, body, opts.signal);
  return slackSendResult(res);
}
