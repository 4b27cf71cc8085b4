import { getKv } from "../cache";
import { enforce } from "../http/rate-limits";
import type { InboundMessage } from "../pipeline/message-schema";
import type { PipelineResult } from "../pipeline/pipeline-result";
import { processMessage, type PipelineDeps, type ProcessOptions } from "../pipeline/process-message";
import { createEndUserAdmission } from "./end-user-admission";

const checkEndUser = createEndUserAdmission();
/** How long a turn that opened alongside its limit check waits, inside its transaction, for the verdict. */
const ALONGSIDE_WAIT_MS = 40;

export type ReceiveOptions = ProcessOptions & {
  /** The 429's message when the end user sends too fast, in the entry point's own words. */
  tooFast: string;
  /**
   * An entry point's limit on a budget many end users share (a widget's visitors together); it throws to
   * refuse. Checked only once the end user's own limit let the message through, so one end user sending
   * too fast is refused by their own limit and never uses up everyone's share.
   */
  shared?: () => Promise<void>;
};

/**
 * The one path from every entry point (REST API, widget, messaging-channel webhooks via their inbox) into a
 * turn. The entry point authenticates and turns its payload into an InboundMessage; this applies the
 * per-end-user limit, then runs the turn, which dedupes on message_id, stores both sides and, for a
 * messaging channel (`delivery`), queues the replies in the outbox in the same write.
 * The limit is checked before the turn opens its transaction, so a slow or unreachable cache (bounded,
 * and failing open) never holds a row lock or a pooled connection for someone sending fast. An end user's
 * first message in a while has its check run alongside the turn's opening round trip (end-user-admission.ts):
 * the turn waits for the verdict before it reads or runs anything, so a refusal still stores nothing. One that is
 * the end user's first message ever (its presumed write claims them) needs no verdict and is only counted.
 */
export async function receiveInbound(deps: PipelineDeps, tenantId: string, inbound: InboundMessage, options: ReceiveOptions): Promise<PipelineResult> {
  const { tooFast, shared, ...processOptions } = options;
  const check = checkEndUser(getKv(), tenantId, inbound.user_id);
  const admit = async () => {
    enforce(await check.verdict(), tooFast);
    await shared?.();
  };
  if (!check.alongside) {
    await admit();
    return processMessage(deps, tenantId, inbound, processOptions);
  }
  // Unseen here lately is, on the API and the widget, mostly a new end user: their first turn may run on
  // presumptions (presumed-first-turn.ts). A messaging channel's unseen sender is mostly one continuing a
  // conversation another process ran, so there a presumption would mostly cost a wasted round trip.
  return processMessage(deps, tenantId, inbound, {
    ...processOptions,
    admitted: alongside(admit),
    // A first message ever is within the end user's limit: it is only counted, once its write proved it first.
    firstEver: { admitted: shared ? alongside(shared) : admittedAlready, counted: check.counted },
    presumeFirst: !inbound.delivery,
  });
}

const admittedAlready = () => Promise.resolve();

/**
 * An admission check run alongside the turn, started when the turn first waits for it. A slow limiter must not
 * hold the turn's transaction: past ALONGSIDE_WAIT_MS the message goes through, as it does when the limiter is
 * unreachable (rate-limits.ts failOpen). The sender is now seen, so their next messages wait for the verdict
 * before the turn opens.
 */
function alongside(admit: () => Promise<void>): () => Promise<void> {
  let started: Promise<void> | null = null;
  return () => (started ??= Promise.race([admit(), new Promise<void>((resolve) => setTimeout(resolve, ALONGSIDE_WAIT_MS).unref())]));
}
