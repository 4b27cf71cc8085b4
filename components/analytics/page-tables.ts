import { CHANNEL_TYPES, type ChannelType } from "@/db/schema";
import type { AnalyticsPage } from "@/server/analytics/analytics-queries";
import { inboxHref, transcriptHref } from "./drill-links";
import type { ChartSeries, TableSpec } from "./table-spec";

const CHANNEL_LABELS: Record<ChannelType, string> = { web: "Web", whatsapp: "WhatsApp", slack: "Slack", messenger: "Messenger" };
const CHANNEL_COLORS: Record<ChannelType, string> = { web: "#4f46e5", whatsapp: "#16a34a", slack: "#d97706", messenger: "#0ea5e9" };
const channelSeries: ChartSeries[] = CHANNEL_TYPES.map((c) => ({ key: c, label: CHANNEL_LABELS[c], color: CHANNEL_COLORS[c] }));
const total = (byChannel: Record<ChannelType, number>) => CHANNEL_TYPES.reduce((s, c) => s + byChannel[c], 0);
const hasAny = (values: number[]) => values.some((v) => v > 0);

/** Every table of the analytics page, each with its chart and its drill-down links into the inbox. */
export function pageTables(page: AnalyticsPage): TableSpec[] {
  const { from, to } = page.range;
  const file = (name: string) => `${name}-${from}-to-${to}.csv`;
  const dayLink = (day: string, channel?: string) => inboxHref({ from: day, to: day, channel });
  const days = page.days;

  const conversations: TableSpec = {
    id: "conversations",
    title: "Conversations per day",
    explanation: "Conversations started each day, by channel. Click a bar or a number to open those conversations in the inbox.",
    caption: `Conversations started per day and channel, ${from} to ${to}`,
    columns: ["Day", ...channelSeries.map((s) => s.label), "Total"],
    rows: hasAny(days.map((d) => total(d.conversations)))
      ? days.map((d) => ({ cells: [d.day, ...CHANNEL_TYPES.map((c) => d.conversations[c]), total(d.conversations)], hrefs: [dayLink(d.day), ...CHANNEL_TYPES.map((c) => dayLink(d.day, c)), dayLink(d.day)] }))
      : [],
    chart: { kind: "stacked-bars", categoryKey: "day", series: channelSeries, data: days.map((d) => ({ day: d.day, ...d.conversations })), links: days.map((d) => ({ "*": dayLink(d.day), ...Object.fromEntries(CHANNEL_TYPES.map((c) => [c, dayLink(d.day, c)])) })) },
    empty: "No conversations started in this range.",
    fileName: file("conversations"),
  };

  const messages: TableSpec = {
    id: "messages",
    title: "Messages per day",
    explanation: "Messages written each day: from end users (inbound) and replies by the bot or your team (outbound).",
    caption: `Messages per day by direction and channel, ${from} to ${to}`,
    columns: ["Day", "Inbound", "Outbound", ...channelSeries.map((s) => s.label)],
    rows: hasAny(days.map((d) => total(d.inbound) + total(d.outbound)))
      ? days.map((d) => ({ cells: [d.day, total(d.inbound), total(d.outbound), ...CHANNEL_TYPES.map((c) => d.inbound[c] + d.outbound[c])], hrefs: [dayLink(d.day), null, null, ...CHANNEL_TYPES.map((c) => dayLink(d.day, c))] }))
      : [],
    chart: {
      kind: "stacked-bars",
      categoryKey: "day",
      series: [{ key: "inbound", label: "Inbound", color: "#4f46e5" }, { key: "outbound", label: "Outbound", color: "#a5b4fc" }],
      data: days.map((d) => ({ day: d.day, inbound: total(d.inbound), outbound: total(d.outbound) })),
      links: days.map((d) => ({ "*": dayLink(d.day) })),
    },
    empty: "No messages in this range.",
    fileName: file("messages"),
  };

  const users: TableSpec = {
    id: "active-users",
    title: "Active users",
    explanation: "End users who wrote each day: new ones started their first conversation that day, returning ones earlier.",
    caption: `Active end users per day, new and returning, ${from} to ${to}`,
    columns: ["Day", "New", "Returning", "Total"],
    rows: hasAny(days.map((d) => d.users_new + d.users_returning)) ? days.map((d) => ({ cells: [d.day, d.users_new, d.users_returning, d.users_new + d.users_returning], hrefs: [dayLink(d.day)] })) : [],
    chart: { kind: "stacked-bars", categoryKey: "day", series: [{ key: "new", label: "New", color: "#16a34a" }, { key: "returning", label: "Returning", color: "#86efac" }], data: days.map((d) => ({ day: d.day, new: d.users_new, returning: d.users_returning })), links: days.map((d) => ({ "*": dayLink(d.day) })) },
    empty: "No end user wrote in this range.",
    fileName: file("active-users"),
  };

  const spend: TableSpec = {
    id: "spend",
    title: "Model spend per day",
    explanation: "What the bot's model calls cost each day (in dollars), and how many calls it made.",
    caption: `Model spend and calls per day, ${from} to ${to}`,
    columns: ["Day", "Spend (USD)", "Model calls"],
    rows: hasAny(days.map((d) => d.cost_cents + d.model_calls)) ? days.map((d) => ({ cells: [d.day, Number((d.cost_cents / 100).toFixed(4)), d.model_calls] })) : [],
    chart: { kind: "stacked-bars", categoryKey: "day", series: [{ key: "dollars", label: "Spend (USD)", color: "#d97706" }], data: days.map((d) => ({ day: d.day, dollars: Number((d.cost_cents / 100).toFixed(4)) })) },
    empty: "No model calls in this range.",
    fileName: file("spend"),
  };

  const latency: TableSpec = {
    id: "latency",
    title: "Bot response latency",
    explanation: "How long the bot took to answer, per day: half of the answers were faster than p50, 95% faster than p95.",
    caption: `Bot response latency per day in milliseconds, ${from} to ${to}`,
    columns: ["Day", "p50 (ms)", "p95 (ms)"],
    rows: days.some((d) => d.latency_p50 !== null) ? days.map((d) => ({ cells: [d.day, d.latency_p50, d.latency_p95] })) : [],
    chart: { kind: "lines", categoryKey: "day", unit: " ms", series: [{ key: "p50", label: "p50", color: "#4f46e5" }, { key: "p95", label: "p95", color: "#c0262d" }], data: days.map((d) => ({ day: d.day, p50: d.latency_p50, p95: d.latency_p95 })) },
    empty: "The bot answered nothing in this range.",
    fileName: file("latency"),
  };

  const intentLink = (intent: string) => inboxHref({ intent, from, to });
  const intents: TableSpec = {
    id: "intents",
    title: "Top intents",
    explanation: "What end users asked for most often, as the bot recognised it. Click one to open those conversations.",
    caption: `The 10 most frequent intents of inbound messages, ${from} to ${to}`,
    columns: ["Intent", "Messages"],
    rows: page.top_intents.map((i) => ({ cells: [i.intent, i.count], hrefs: [intentLink(i.intent), intentLink(i.intent)] })),
    chart: { kind: "horizontal-bars", categoryKey: "intent", series: [{ key: "count", label: "Messages", color: "#4f46e5" }], data: page.top_intents.map((i) => ({ ...i })), links: page.top_intents.map((i) => ({ "*": intentLink(i.intent) })) },
    empty: "No intent was recognised in this range.",
    fileName: file("intents"),
  };

  const notUnderstood: TableSpec = {
    id: "not-understood",
    title: "Not understood",
    explanation: `${page.not_understood.count} of the ${page.not_understood.bot_turns} messages the bot answered were not understood. The latest ones, each linking to its conversation:`,
    caption: `The latest messages the bot did not understand, ${from} to ${to}`,
    columns: ["Written at", "Message"],
    rows: page.not_understood.examples.map((e) => ({ cells: [e.created_at, e.text], hrefs: [transcriptHref(e.conversation_id), transcriptHref(e.conversation_id)] })),
    chart: null,
    empty: "The bot understood every message in this range.",
    more: { href: inboxHref({ not_understood: "1", from, to }), label: "Open every conversation with a message the bot did not understand" },
    fileName: file("not-understood"),
  };

  const stateLink = (state: string) => inboxHref({ state, from, to });
  const steps = page.funnel.steps;
  const funnel: TableSpec = {
    id: "funnel",
    title: `Funnel${page.funnel.version ? `: ${page.funnel.version.label}` : ""}`,
    explanation: "How many conversations started in the range reached each state of the flow, and how many fewer than the step before. Click a step to open those conversations.",
    caption: `Conversations reaching each state${page.funnel.version ? ` of ${page.funnel.version.label}` : ""}, ${from} to ${to}`,
    columns: ["State", "Reached", "Drop-off from previous step"],
    rows: steps.map((s) => ({ cells: [s.state, s.reached, s.dropped], hrefs: [stateLink(s.state), stateLink(s.state)] })),
    chart: {
      kind: "horizontal-bars",
      categoryKey: "state",
      series: [{ key: "reached", label: "Reached", color: "#4f46e5" }, { key: "dropped", label: "Dropped off", color: "#e3e3ec" }],
      data: steps.map((s) => ({ state: s.state, reached: s.reached, dropped: Math.max(0, s.dropped) })),
      links: steps.map((s) => ({ "*": stateLink(s.state) })),
    },
    empty: "No conversation of this flow version started in this range.",
    fileName: file("funnel"),
  };

  return [conversations, messages, users, intents, notUnderstood, funnel, latency, spend];
}
