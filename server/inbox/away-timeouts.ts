import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { conversations } from "@/db/schema";
import { renderTemplate } from "../flows/templates";
import { enqueueReply } from "../outbox/enqueue";
import { wakeDeliveryWorkers } from "../outbox/wake";
import { publishConversationChange } from "../realtime/conversation-bus";
import { applyChange, lockIfStill } from "./conversation-lock";
import { DEFAULT_AWAY_MESSAGE } from "./handoff-defaults";
import { awayTarget, conversationFlow, handoffStateOf, resumedState } from "./handoff-flow";

export const AWAY_TIMER_LABEL = "away timer";

type Candidate = { id: string; tenantId: string; timeoutSeconds: number };

const nobodyAvailable = (tenantId: unknown) => sql`not exists (select 1 from memberships m where m.tenant_id = ${tenantId} and m.available)`;

/**
 * Waiting conversations whose handoff state's away timeout has passed, in workspaces where nobody is
 * available. The timeout lives in the conversation's own (immutable) flow version; conversations on the
 * starter flow, or in a state without one, never time out. Per tenant, the status filter walks
 * conversations_tenant_status_updated_idx. Each flow version's handoff timeouts are read from its
 * definition once: reading them per conversation decompressed the whole definition for every waiting
 * conversation on every sweep (a couple of thousand waiting made each sweep take over 100 ms).
 */
function candidatesStatement(now: Date) {
  return sql`with waiting as (
      select c.id, c.tenant_id, c.flow_version_id, c.state ->> 'current_state' as state_name, c.status_changed_at
      from tenants t
      join lateral (select x.id, x.tenant_id, x.flow_version_id, x.state, x.status_changed_at from conversations x where x.tenant_id = t.id and x.status = 'escalated') c on true
      where ${nobodyAvailable(sql`t.id`)}
    ), timeouts as (
      select fv.id as version_id, fv.tenant_id, s.key as state_name, (s.value #>> '{config,away_timeout_seconds}')::int as seconds
      from flow_versions fv cross join lateral jsonb_each(fv.definition -> 'states') s
      where (fv.id, fv.tenant_id) in (select distinct w.flow_version_id, w.tenant_id from waiting w)
        and s.value ->> 'type' = 'handoff' and s.value #> '{config,away_timeout_seconds}' is not null
    )
    select w.id, w.tenant_id as "tenantId", t.seconds as "timeoutSeconds"
    from waiting w join timeouts t on t.version_id = w.flow_version_id and t.tenant_id = w.tenant_id and t.state_name = w.state_name
    where w.status_changed_at <= ${now.toISOString()}::timestamptz - make_interval(secs => t.seconds)`;
}

/**
 * Hands one waiting conversation back to its flow: null when it no longer qualifies or another process has
 * it; `queued` when the away message went into the outbox (a messaging-channel conversation).
 */
async function handBack(db: Db, candidate: Candidate, now: Date): Promise<{ queued: boolean } | null> {
  const cutoff = new Date(now.getTime() - candidate.timeoutSeconds * 1000).toISOString();
  return db.transaction(async (tx) => {
    // Re-checked under the lock: an agent may have taken it, or become available, since the candidates were read.
    const c = await lockIfStill(
      tx,
      candidate.tenantId,
      candidate.id,
      sql`${conversations.status} = 'escalated' and ${conversations.statusChangedAt} <= ${cutoff}::timestamptz and ${nobodyAvailable(sql`${candidate.tenantId}::uuid`)}`,
    );
    if (!c) return null;
    const flow = await conversationFlow(tx, c);
    const handoff = handoffStateOf(flow, c.state);
    if (!handoff || !c.state) return null;
    const resumeAt = awayTarget(flow, handoff);
    const scope = { slots: c.state.slots, entities: {}, intent: c.state.current_intent, input: "", context: {} };
    const text = renderTemplate(handoff.config.away_message ?? DEFAULT_AWAY_MESSAGE, scope) || DEFAULT_AWAY_MESSAGE;
    const stored = await applyChange(
      tx,
      c,
      {
        status: "in_progress",
        state: resumedState(flow, c.state, resumeAt),
        message: { text, metadata: { author: "bot", state: c.state.current_state, delivery_status: c.channel === "web" ? "delivered" : "queued" } },
        events: [{ kind: "away_timeout", actorUserId: null, actorLabel: AWAY_TIMER_LABEL, detail: { resume_state: resumeAt, waited_seconds: Math.round((now.getTime() - c.statusChangedAt.getTime()) / 1000) } }],
      },
      now,
    );
    const queued = c.channel !== "web" && (await enqueueReply(tx, { tenantId: c.tenantId, conversationId: c.id, messageId: stored!.id, sequence: stored!.sequence, payload: { type: "text", text }, now }));
    return { queued };
  });
}

/**
 * Lets flows take back conversations nobody answered in time: sends the handoff state's away message and
 * follows its fallback transition. Safe to run from several processes at once: each conversation is
 * claimed with SKIP LOCKED and re-checked, so it is handed back once. Returns how many were.
 */
export async function fireAwayTimeouts(db: Db, now = new Date()): Promise<number> {
  const candidates = await queryRows<Candidate>(db, candidatesStatement(now));
  let fired = 0;
  for (const candidate of candidates) {
    const handed = await handBack(db, candidate, now);
    if (!handed) continue;
    fired++;
    publishConversationChange(candidate.tenantId, candidate.id);
    if (handed.queued) wakeDeliveryWorkers("outbox");
  }
  return fired;
}
