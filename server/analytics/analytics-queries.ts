import type { Db } from "@/db/client";
import { CHANNEL_TYPES, type ChannelType } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { flowVersionOptions, liveFlowVersionId, STARTER_FLOW, type FlowVersionOption } from "./flow-version-labels";
import { addDays, eachDay, isLocalDay, localDay, rangePresets, type DayRange, type RangePreset } from "./local-days";
import { notUnderstoodExamples, type NotUnderstoodExample } from "./not-understood-examples";
import { refreshRollups } from "./refresh-rollups";
import { activeUsers, activeUsersByDay, conversationDays, dailyPercentiles, distributions, funnel, funnelVersionIds, messageDays, topIntents, type Distribution, type FunnelStep, type IntentCount } from "./rollup-reads";
import { parseDayRange, type AnalyticsSummary } from "./summary-schema";
import { getTenantTimeZone } from "./time-zone";

/**
 * What each figure means. A day is a local date in the tenant's time zone (tenants.time_zone). Conversations
 * of the dashboard's test widget (conversations.sandbox) are left out of every figure.
 *
 * - conversations: conversations started (created_at) in the range, by channel.
 * - messages {inbound, outbound}: messages written (created_at) in the range, by channel.
 * - active_users: distinct end users with an inbound message in the range; new ones had their first
 *   conversation ever (not sandbox) in the range, returning ones earlier. Per day, new means that day.
 * - handoff_rate: started conversations that were handed to a person (handed_off_at set) / started.
 *   containment_rate: started conversations no person wrote in (first_human_reply_at null) / started.
 *   Both 0 when nothing started.
 * - first_response_s: first_human_reply_at − handed_off_at, whole seconds, over conversations started in the
 *   range that have both; resolution_s: resolved_at − handed_off_at over those handed off and resolved. Only
 *   agent messages set first_human_reply_at, so a bot reply never counts as a human response.
 * - top_intents: inbound messages in the range by recognised intent (messages.intent), the 10 most frequent.
 * - not_understood_rate: inbound messages flagged metadata.not_understood / inbound messages the bot
 *   answered (metadata.bot_answered), 0 when the bot answered none; with the 10 latest such texts.
 * - funnel: conversations started in the range, of one flow version, that entered each state
 *   (visited_states), most reached first (ties by name). The summary's is the live version's.
 * - latency_ms: the bot's processing time (inbound metadata.result.processing_metadata.processing_time_ms,
 *   rounded to whole ms) of the messages it answered, by message day.
 * - spend: model cost (outbound metadata.cost_cents) and model calls (model_used set) of bot replies.
 * Percentiles are nearest-rank over exact values (rollup_durations holds each value with its count), so
 * they equal percentile_disc over the raw rows for any range.
 */

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
const emptyChannels = <T>(make: () => T) => Object.fromEntries(CHANNEL_TYPES.map((c) => [c, make()])) as Record<ChannelType, T>;
const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0);

type RangeFigures = Omit<AnalyticsSummary, "funnel">;

async function rangeFigures(db: Db, tenantId: string, timeZone: string, range: DayRange) {
  // Independent reads: on Postgres they run on separate pool connections at once.
  const [messageRows, conversationRows, users, durations, intents] = await Promise.all([
    messageDays(db, tenantId, range),
    conversationDays(db, tenantId, range),
    activeUsers(db, tenantId, range),
    distributions(db, tenantId, range, ["bot_latency_ms", "first_response_s", "resolution_s"]),
    topIntents(db, tenantId, range),
  ]);
  const started = sum(conversationRows, (r) => r.started);
  const botTurns = sum(messageRows, (r) => r.bot_turns);
  const byChannel = emptyChannels(() => ({ conversations: 0, messages: 0 }));
  for (const r of conversationRows) byChannel[r.channel].conversations += r.started;
  for (const r of messageRows) byChannel[r.channel].messages += r.inbound + r.outbound;
  const figure = (metric: Distribution["metric"]) => {
    const d = durations.find((x) => x.metric === metric);
    return { p50: d?.p50 ?? null, p95: d?.p95 ?? null, count: d?.count ?? 0 };
  };
  const latency = figure("bot_latency_ms");
  const figures: RangeFigures = {
    from: range.from,
    to: range.to,
    time_zone: timeZone,
    conversations: started,
    messages: { inbound: sum(messageRows, (r) => r.inbound), outbound: sum(messageRows, (r) => r.outbound) },
    by_channel: byChannel,
    active_users: users,
    containment_rate: ratio(started - sum(conversationRows, (r) => r.human_answered), started),
    handoff_rate: ratio(sum(conversationRows, (r) => r.handed_off), started),
    first_response_s: figure("first_response_s"),
    resolution_s: figure("resolution_s"),
    top_intents: intents,
    not_understood_rate: ratio(sum(messageRows, (r) => r.not_understood), botTurns),
    latency_ms: { p50: latency.p50, p95: latency.p95 },
    spend: { cost_cents: roundCents(sum(messageRows, (r) => r.cost_cents)), model_calls: sum(messageRows, (r) => r.model_calls) },
  };
  return { figures, messageRows, conversationRows, botTurns };
}

// The rollup stores cost to 6 decimals; float sums of those would print as 12.340000000000002.
const roundCents = (cents: number) => Math.round(cents * 1e6) / 1e6;

/** The public summary (GET /api/v2/analytics/summary): figures for the range, funnel of the live flow version. */
export async function analyticsSummary(db: Db, tenantId: string, input: { from?: string; to?: string }, now: Date = new Date()): Promise<AnalyticsSummary> {
  const range = parseDayRange(input);
  await refreshRollups(db, tenantId, now);
  const timeZone = await getTenantTimeZone(db, tenantId);
  const [{ figures }, liveFunnel] = await Promise.all([rangeFigures(db, tenantId, timeZone, range), liveFlowVersionId(db, tenantId).then((id) => funnel(db, tenantId, range, id))]);
  return { ...figures, funnel: liveFunnel };
}

export type DaySeries = {
  day: string;
  conversations: Record<ChannelType, number>;
  inbound: Record<ChannelType, number>;
  outbound: Record<ChannelType, number>;
  users_new: number;
  users_returning: number;
  cost_cents: number;
  model_calls: number;
  latency_p50: number | null;
  latency_p95: number | null;
};

export type FunnelView = { version: FlowVersionOption | null; versions: FlowVersionOption[]; steps: (FunnelStep & { dropped: number })[] };

export type AnalyticsPage = {
  range: DayRange;
  today: string;
  presets: RangePreset[];
  summary: RangeFigures;
  days: DaySeries[];
  top_intents: IntentCount[];
  not_understood: { rate: number; count: number; bot_turns: number; examples: NotUnderstoodExample[] };
  funnel: FunnelView;
};

export type AnalyticsPageInput = { from?: string; to?: string; flowVersionId?: string };

/** Which version's funnel: the one asked for ("starter" for no published version), else the live one. */
async function chooseVersion(db: Db, tenantId: string, range: DayRange, asked: string | undefined): Promise<FunnelView> {
  const liveId = await liveFlowVersionId(db, tenantId);
  const inRange = await funnelVersionIds(db, tenantId, range);
  const ids = [...new Set([...inRange.filter((id): id is string => id !== null), ...(liveId ? [liveId] : []), ...(asked && asked !== STARTER_FLOW.id ? [asked] : [])])];
  const options = await flowVersionOptions(db, tenantId, ids, liveId);
  const starter: FlowVersionOption = { ...STARTER_FLOW, live: liveId === null };
  const versions = inRange.includes(null) || liveId === null ? [...options, starter] : options;
  let version: FlowVersionOption | null;
  if (asked === STARTER_FLOW.id) version = starter;
  else if (asked) {
    version = options.find((o) => o.id === asked) ?? null;
    if (!version) throw new AppError("NOT_FOUND", "Flow version not found.", { fields: { version: "No such flow version in this workspace" } });
  } else version = options.find((o) => o.live) ?? starter;
  const steps = await funnel(db, tenantId, range, version.id === STARTER_FLOW.id ? null : version.id);
  return { version, versions, steps: steps.map((s, i) => ({ ...s, dropped: i === 0 ? 0 : steps[i - 1]!.reached - s.reached })) };
}

/** Everything the analytics page shows, freshly refreshed; the range defaults to the last 30 local days. */
export async function analyticsPage(db: Db, tenantId: string, input: AnalyticsPageInput, now: Date = new Date()): Promise<AnalyticsPage> {
  await refreshRollups(db, tenantId, now);
  const timeZone = await getTenantTimeZone(db, tenantId);
  const today = localDay(now, timeZone);
  const presets = rangePresets(today);
  const to = input.to ?? today;
  const range = parseDayRange({ from: input.from ?? (isLocalDay(to) ? addDays(to, -29) : undefined), to });
  const [{ figures, messageRows, conversationRows, botTurns }, usersByDay, latencyByDay, examples, funnelView] = await Promise.all([
    rangeFigures(db, tenantId, timeZone, range),
    activeUsersByDay(db, tenantId, range),
    dailyPercentiles(db, tenantId, range, "bot_latency_ms"),
    notUnderstoodExamples(db, tenantId, timeZone, range),
    chooseVersion(db, tenantId, range, input.flowVersionId),
  ]);
  const days = new Map<string, DaySeries>(
    eachDay(range.from, range.to).map((day) => [
      day,
      { day, conversations: emptyChannels(() => 0), inbound: emptyChannels(() => 0), outbound: emptyChannels(() => 0), users_new: 0, users_returning: 0, cost_cents: 0, model_calls: 0, latency_p50: null, latency_p95: null },
    ]),
  );
  for (const r of conversationRows) days.get(r.day)!.conversations[r.channel] += r.started;
  for (const r of messageRows) {
    const d = days.get(r.day)!;
    d.inbound[r.channel] += r.inbound;
    d.outbound[r.channel] += r.outbound;
    d.cost_cents = roundCents(d.cost_cents + r.cost_cents);
    d.model_calls += r.model_calls;
  }
  for (const r of usersByDay) Object.assign(days.get(r.day)!, { users_new: r.new, users_returning: r.returning });
  for (const r of latencyByDay) Object.assign(days.get(r.day)!, { latency_p50: r.p50, latency_p95: r.p95 });
  return {
    range,
    today,
    presets,
    summary: figures,
    days: [...days.values()],
    top_intents: figures.top_intents,
    not_understood: { rate: figures.not_understood_rate, count: sum(messageRows, (r) => r.not_understood), bot_turns: botTurns, examples },
    funnel: funnelView,
  };
}
