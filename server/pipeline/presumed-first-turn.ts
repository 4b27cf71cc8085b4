import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { liveVersionIdSubquery } from "../flow-store/flow-service";
import type { IntegrationCaller, LlmGenerator } from "../flows/engine";
import { firstTurnLockKey, type LockedConversation } from "./conversation-repo";
import { cachedFlowRuntime, type FlowRuntime } from "./flow-runtime";
import type { InboundMessage } from "./message-schema";
import type { TurnStatements } from "./turn-transaction";

/*
 * A new end user's first message, answered in one round trip instead of two. The long way locks, reads
 * whether the user has a conversation and which flow version is live, runs the turn, then writes. A first
 * message can presume the answers (no conversation yet, the live version this process last started one
 * with), run the turn before the transaction, and send the lock, a check of those presumptions and the
 * write together. The check runs under the lock with its own snapshot, so a write only ever commits on
 * presumptions that hold: one that fails aborts the transaction, nothing is written, and the turn runs the
 * long way. A turn that would reach outside (an integration, a model) is never run on a presumption, since
 * a wrong one would then run it twice.
 */

const MAX_TENANTS = 10_000;
const liveVersions = new Map<string, string | null>();

/** The version a new conversation of the tenant started on, read under the turn's lock (the long way). */
export function rememberLiveVersion(tenantId: string, versionId: string | null): void {
  liveVersions.delete(tenantId);
  if (liveVersions.size >= MAX_TENANTS) liveVersions.delete(liveVersions.keys().next().value!);
  liveVersions.set(tenantId, versionId);
}

export type Presumption = { conversation: LockedConversation; runtime: FlowRuntime };

/** What a first message presumes; null until this process has started a conversation of the tenant on its live version. */
export function presumeFirstTurn(tenantId: string): Presumption | null {
  if (!liveVersions.has(tenantId)) return null;
  const versionId = liveVersions.get(tenantId)!;
  const runtime = cachedFlowRuntime(versionId);
  if (!runtime || runtime.versionId !== versionId) return null;
  return { conversation: { id: randomUUID(), isNew: true, status: "in_progress", state: null, flowVersionId: versionId, messageCount: 0, lastSequence: 0, returningUser: false }, runtime };
}

/**
 * What the presumptions say, as a condition the turn's write checks (TurnWrite.presumes): no conversation of
 * the end user at all means none to continue and not a returning user; the version must still be the live one.
 */
export function presumptionCheck(tenantId: string, input: InboundMessage, presumed: Presumption): SQL {
  return sql`not exists (select 1 from conversations p where p.tenant_id = ${tenantId}::uuid and p.end_user_id = ${input.user_id})
    and ${presumed.conversation.flowVersionId}::uuid is not distinct from ${liveVersionIdSubquery(tenantId)}`;
}

/**
 * The presumed turn's transaction: the first-turn lock, carried by BEGIN, then the write that checks the
 * presumptions. The write is a statement of its own after the lock, so its snapshot sees what the lock's
 * previous holder committed.
 */
export function presumedTrip(tenantId: string, input: InboundMessage, write: SQL): TurnStatements {
  return { lockKey: firstTurnLockKey(tenantId, input), statements: [write] };
}

/** The check's refusal (db/migrations/0011_presumed_first_turn.sql), as postgres.js or PGlite reports it. */
export function isPresumptionRefused(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null; e && typeof e === "object"; e = e.cause as typeof e) if (e.code === "CB001") return true;
  return false;
}

/** Raised by the ports a presumed turn runs with: it reached outside, so it has to run the long way. */
export class ReachesOutside extends Error {}

const refuse = async (): Promise<never> => {
  throw new ReachesOutside("A presumed first turn reached outside");
};

/** Ports that refuse every call; the turn's own handling of a failed call is then moot, as `reached()` says it must not be used. */
export function refusingPorts(llm: LlmGenerator | undefined): { integrations: IntegrationCaller; llm: LlmGenerator | undefined; reached: () => boolean } {
  let reached = false;
  const trip = () => {
    reached = true;
    return refuse();
  };
  return { integrations: { call: trip }, llm: llm && { generate: trip }, reached: () => reached };
}
