import { sql, type SQL } from "drizzle-orm";

/*
 * The statements that recount one local day of one tenant from the raw rows. Each reads only that day's
 * rows, through (tenant_id, created_at) index ranges whose bounds are the local day's midnights as
 * timestamptz (computed in SQL, so daylight-saving days are 23 or 25 hours long as they should be).
 * Sandbox conversations (the dashboard's test widget) and their messages are left out everywhere.
 */

export type DayScope = { tenantId: string; day: string; timeZone: string };

const bounds = ({ day, timeZone }: DayScope) => ({
  start: sql`(${day}::date::timestamp at time zone ${timeZone})`,
  end: sql`((${day}::date + 1)::timestamp at time zone ${timeZone})`,
});

/** The day's messages of non-sandbox conversations, with their conversation's end user. */
function dayMessages(scope: DayScope): SQL {
  const { start, end } = bounds(scope);
  return sql`select m.channel, m.direction, m.intent, m.metadata, c.end_user_id
    from messages m join conversations c on c.id = m.conversation_id and c.tenant_id = m.tenant_id
    where m.tenant_id = ${scope.tenantId}::uuid and m.created_at >= ${start} and m.created_at < ${end} and not c.sandbox`;
}

/** Conversations started on the day, not sandbox. */
function dayConversations(scope: DayScope): SQL {
  const { start, end } = bounds(scope);
  return sql`select c.id, c.channel, c.flow_version_id, c.visited_states, c.handed_off_at, c.first_human_reply_at, c.resolved_at
    from conversations c where c.tenant_id = ${scope.tenantId}::uuid and c.created_at >= ${start} and c.created_at < ${end} and not c.sandbox`;
}

// Bot replies are the outbound messages no person wrote: rows from before the author field count as the bot's.
const BOT_REPLY = sql`direction = 'outbound' and coalesce(metadata->>'author', 'bot') <> 'agent'`;
const BOT_ANSWERED = sql`direction = 'inbound' and metadata->'bot_answered' = 'true'::jsonb`;
const LATENCY = sql`metadata #> '{result,processing_metadata,processing_time_ms}'`;

export function messageDayStatements(scope: DayScope): SQL[] {
  const { tenantId, day } = scope;
  const key = sql`tenant_id = ${tenantId}::uuid and day = ${day}::date`;
  return [
    sql`delete from rollup_message_days where ${key}`,
    sql`delete from rollup_intent_days where ${key}`,
    sql`delete from rollup_user_days where ${key}`,
    sql`delete from rollup_durations where ${key} and metric = 'bot_latency_ms'`,
    sql`insert into rollup_message_days (tenant_id, day, channel, inbound, outbound, agent_outbound, bot_turns, not_understood, model_calls, cost_cents)
      select ${tenantId}::uuid, ${day}::date, channel,
        count(*) filter (where direction = 'inbound'),
        count(*) filter (where direction = 'outbound'),
        count(*) filter (where direction = 'outbound' and metadata->>'author' = 'agent'),
        count(*) filter (where ${BOT_ANSWERED}),
        count(*) filter (where direction = 'inbound' and metadata->'not_understood' = 'true'::jsonb),
        -- One model call per turn: the inbound message's answer names the model, however many replies it had.
        count(*) filter (where direction = 'inbound' and metadata #>> '{result,processing_metadata,model_used}' is not null),
        coalesce(sum((metadata->>'cost_cents')::numeric) filter (where ${BOT_REPLY} and jsonb_typeof(metadata->'cost_cents') = 'number'), 0)
      from (${dayMessages(scope)}) m group by channel`,
    sql`insert into rollup_intent_days (tenant_id, day, intent, count)
      select ${tenantId}::uuid, ${day}::date, intent, count(*) from (${dayMessages(scope)}) m
      where direction = 'inbound' and intent is not null group by intent`,
    sql`insert into rollup_durations (tenant_id, day, metric, value, count)
      select ${tenantId}::uuid, ${day}::date, 'bot_latency_ms', ms, count(*)
      from (select round((${LATENCY})::text::numeric)::int as ms from (${dayMessages(scope)}) m
        where ${BOT_ANSWERED} and jsonb_typeof(${LATENCY}) = 'number') l
      group by ms`,
    // first_day: the end user's first conversation ever (not sandbox), found through (tenant_id, end_user_id).
    sql`insert into rollup_user_days (tenant_id, day, end_user_id, first_day)
      select ${tenantId}::uuid, ${day}::date, u.end_user_id, (f.first_at at time zone ${scope.timeZone})::date
      from (select distinct end_user_id from (${dayMessages(scope)}) m where direction = 'inbound') u
      cross join lateral (select min(c.created_at) as first_at from conversations c
        where c.tenant_id = ${tenantId}::uuid and c.end_user_id = u.end_user_id and not c.sandbox) f`,
  ];
}

/** Whole seconds between two timestamps, as the rollup's exact distribution counts them. */
const seconds = (from: string, to: string) => sql.raw(`floor(extract(epoch from (${to} - ${from})))::int`);

export function conversationDayStatements(scope: DayScope): SQL[] {
  const { tenantId, day } = scope;
  const key = sql`tenant_id = ${tenantId}::uuid and day = ${day}::date`;
  return [
    sql`delete from rollup_conversation_days where ${key}`,
    sql`delete from rollup_funnel_days where ${key}`,
    sql`delete from rollup_durations where ${key} and metric in ('first_response_s', 'resolution_s')`,
    sql`insert into rollup_conversation_days (tenant_id, day, channel, started, handed_off, human_answered, resolved)
      select ${tenantId}::uuid, ${day}::date, channel, count(*),
        count(*) filter (where handed_off_at is not null),
        count(*) filter (where first_human_reply_at is not null),
        count(*) filter (where resolved_at is not null)
      from (${dayConversations(scope)}) c group by channel`,
    sql`insert into rollup_durations (tenant_id, day, metric, value, count)
      select ${tenantId}::uuid, ${day}::date, metric, value, count(*) from (
        select 'first_response_s' as metric, ${seconds("handed_off_at", "first_human_reply_at")} as value from (${dayConversations(scope)}) c
          where handed_off_at is not null and first_human_reply_at is not null
        union all
        select 'resolution_s', ${seconds("handed_off_at", "resolved_at")} from (${dayConversations(scope)}) c
          where handed_off_at is not null and resolved_at is not null
      ) d group by metric, value`,
    sql`insert into rollup_funnel_days (tenant_id, day, flow_version_id, state, reached)
      select ${tenantId}::uuid, ${day}::date, flow_version_id, state, count(distinct id)
      from (${dayConversations(scope)}) c cross join lateral unnest(c.visited_states) as s(state)
      group by flow_version_id, state`,
  ];
}
