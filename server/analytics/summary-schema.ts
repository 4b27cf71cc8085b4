import { z } from "zod";
import { CHANNEL_TYPES } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { saying, summarizeIssues } from "../errors/zod-messages";
import { zodDetails } from "../http/envelope";
import { dayCount, isLocalDay, type DayRange } from "./local-days";

export const MAX_RANGE_DAYS = 366;

const localDate = (title: string) => z.string().meta({ title }).refine(isLocalDay, saying("must be a date written YYYY-MM-DD"));

/** A range of local days (the tenant's time zone), both ends included. */
export const dayRangeSchema = z
  .object({ from: localDate("From date (from)"), to: localDate("To date (to)") })
  .superRefine((range, ctx) => {
    if (!isLocalDay(range.from) || !isLocalDay(range.to)) return;
    if (range.from > range.to) ctx.addIssue({ code: "custom", path: ["to"], message: "To date must be on or after the from date" });
    else if (dayCount(range.from, range.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `The range is at most ${MAX_RANGE_DAYS} days` });
  });

/** Validates a range a caller sent; a bad one is a VALIDATION_ERROR naming the field. */
export function parseDayRange(input: unknown): DayRange {
  const parsed = dayRangeSchema.safeParse(input);
  if (!parsed.success) throw new AppError("VALIDATION_ERROR", summarizeIssues(parsed.error), zodDetails(parsed.error));
  return parsed.data;
}

const rate = z.number().min(0).max(1);
const percentiles = z.object({ p50: z.number().int().nullable(), p95: z.number().int().nullable() });
const durationFigures = percentiles.extend({ count: z.number().int() });
const channelFigures = z.object({ conversations: z.number().int(), messages: z.number().int() });

export const analyticsSummarySchema = z.object({
  from: z.string().meta({ description: "First local day of the range" }),
  to: z.string().meta({ description: "Last local day of the range (included)" }),
  time_zone: z.string().meta({ description: "The tenant's IANA time zone the days are counted in" }),
  conversations: z.number().int().meta({ description: "Conversations started in the range" }),
  messages: z.object({ inbound: z.number().int(), outbound: z.number().int() }),
  by_channel: z.object(Object.fromEntries(CHANNEL_TYPES.map((c) => [c, channelFigures])) as Record<(typeof CHANNEL_TYPES)[number], typeof channelFigures>),
  active_users: z
    .object({ total: z.number().int(), new: z.number().int(), returning: z.number().int() })
    .meta({ description: "End users who wrote in the range; new ones started their first conversation ever in it" }),
  containment_rate: rate.meta({ description: "Share of started conversations no person wrote in" }),
  handoff_rate: rate.meta({ description: "Share of started conversations handed to a person" }),
  first_response_s: durationFigures.meta({ description: "Seconds from handoff to the first message a person wrote (bot messages never count)" }),
  resolution_s: durationFigures.meta({ description: "Seconds from handoff to resolution" }),
  top_intents: z.array(z.object({ intent: z.string(), count: z.number().int() })).meta({ description: "The 10 intents recognised most often in inbound messages" }),
  not_understood_rate: rate.meta({ description: "Inbound messages the bot did not understand, out of those the bot answered" }),
  latency_ms: percentiles.meta({ description: "Bot response time (nearest-rank percentiles; null when the bot answered nothing)" }),
  spend: z.object({ cost_cents: z.number(), model_calls: z.number().int() }).meta({ description: "Model spend and calls of bot replies" }),
  funnel: z.array(z.object({ state: z.string(), reached: z.number().int() })).meta({ description: "Conversations of the live flow version that entered each state, most reached first" }),
});
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;
