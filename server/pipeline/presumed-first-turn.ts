import { randomUUID } from "node:crypto";
import { stmt } from "@/db/statement";
import { liveVersionIdSubquery } from "../flow-store/flow-service";
import type { IntegrationCaller, LlmGenerator } from "../flows/engine";
import { firstTurnLockKey, type LockedConversation } from "./conversation-repo";
import { cachedFlowRuntime, type FlowRuntime } from "./flow-runtime";
import type { InboundMessage } from "./message-schema";
import type { Presumes } from "./persist-turn";

/*
 * A new end user's first message, answered in one round trip instead of two, and without a transaction of
 * its own. The long way locks, reads whether the user has a conversation and which flow version is live,
 * runs the turn, then writes. A first message can presume the answers (no conversation yet, the live version
 * this process last started one with), run the turn before touching the database, and send one statement
 * that takes the lock, claims the end user and checks those presumptions (persist-turn.ts `Presumes`). One
 * that fails aborts the statement, nothing is written, and the turn runs the long way. A turn that would
 * reach outside (an integration, a model) is never run on a presumption, since a wrong one would then run
 * it twice.
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

/**
 * What a first message presumes; null until this process has started a conversation of the tenant on its live
 * version, unless `known` says which version is live (read by the statement that handed the turn its message).
 */
export function presumeFirstTurn(tenantId: string, known?: { liveVersionId: string | null }): Presumption | null {
  if (!known && !liveVersions.has(tenantId)) return null;
  const versionId = known ? known.liveVersionId : liveVersions.get(tenantId)!;
  const runtime = cachedFlowRuntime(versionId);
  if (!runtime || runtime.versionId !== versionId) return null;
  return { conversation: { id: randomUUID(), isNew: true, status: "in_progress", state: null, flowVersionId: versionId, messageCount: 0, lastSequence: 0, returningUser: false }, runtime };
}

/**
 * What the turn's write must find for the presumptions to hold (persist-turn.ts `Presumes`): no conversation
 * of the end user at all means none to continue and not a returning user; the version must still be the live
 * one. The lock is the one the long way takes, so a first turn in flight ends before this write looks.
 */
export function presumptions(tenantId: string, input: InboundMessage, presumed: Presumption): Presumes {
  return {
    lockKey: firstTurnLockKey(tenantId, input),
    holds: stmt`not exists (select 1 from conversations p where p.tenant_id = ${tenantId}::uuid and p.end_user_id = ${input.user_id})
      and ${presumed.conversation.flowVersionId}::uuid is not distinct from ${liveVersionIdSubquery(tenantId)}`,
  };
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
