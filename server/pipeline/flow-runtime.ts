import { flowVersionStatement } from "../flow-store/flow-service";
import type { FlowDefinition } from "../flows/flow-schema";
import type { Nlu } from "../nlu/nlu";
import { buildFlowNlu } from "./flow-nlu";
import { STARTER_FLOW } from "./starter-flow";
import type { TurnTx } from "./turn-transaction";

/** `turnBudgetMs` is the whole turn's backstop. */
export type FlowRuntime = { versionId: string | null; flow: FlowDefinition; nlu: Nlu; turnBudgetMs: number };

const DEFAULT_TURN_BUDGET_MS = 8000;

/** Long enough that the slowest state's own timeout (and its error path) always comes first. */
export function turnBudgetMs(flow: FlowDefinition): number {
  let longest = 0;
  for (const state of Object.values(flow.states)) if (state.type === "integration" || state.type === "llm") longest = Math.max(longest, state.config.timeout_ms);
  return Math.max(DEFAULT_TURN_BUDGET_MS, longest + 2000);
}

function runtimeOf(versionId: string | null, flow: FlowDefinition): FlowRuntime {
  return { versionId, flow, nlu: buildFlowNlu(flow), turnBudgetMs: turnBudgetMs(flow) };
}

// Flow versions are immutable, so a trained runtime can be cached for the life of the process.
const cache = new Map<string, FlowRuntime>();
const MAX_CACHED = 500;

function remember(key: string, runtime: FlowRuntime): FlowRuntime {
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, runtime);
  return runtime;
}

/** The runtime a conversation keeps for its whole life; tenants with no published flow get the starter flow. */
export async function loadFlowRuntime(tx: TurnTx, tenantId: string, versionId: string | null): Promise<FlowRuntime> {
  const key = versionId ?? "starter";
  const hit = cache.get(key);
  if (hit) return hit;
  if (!versionId) return remember(key, runtimeOf(null, STARTER_FLOW));
  const [stored] = await tx.query<{ definition: FlowDefinition }>(flowVersionStatement(tenantId, versionId));
  if (!stored) return loadFlowRuntime(tx, tenantId, null);
  return remember(key, runtimeOf(versionId, stored.definition));
}

/** The runtime of a version this process has already loaded, without a query (undefined: not loaded yet). */
export function cachedFlowRuntime(versionId: string | null): FlowRuntime | undefined {
  return cache.get(versionId ?? "starter");
}

/** Forgets trained runtimes, as a process restart would. */
export function clearFlowRuntimeCache(): void {
  cache.clear();
}
