import type { ProviderKind } from "@/db/schema";
import type { RoutingOverride } from "../../flows/ports";
import type { RoutingPolicy } from "../routing-policy";

/** A tenant's connection as the router uses it (decrypted key; never sent to a browser). */
export type RouterConnection = {
  id: string;
  provider: ProviderKind;
  /** The primary model; `models` are every model it serves (the primary included or not). */
  model: string;
  models: string[];
  baseUrl: string | null;
  apiKey: string;
  /** The provider refused this key in a real call (provider_configs.key_invalid_at). */
  keyInvalid: boolean;
};

export type Candidate = { connection: RouterConnection; model: string; ref: string };
export type Routing = { candidates: Candidate[]; unserved: string[]; maxCostCents: number | null };

const serves = (c: RouterConnection, model: string) => c.model === model || c.models.includes(model);
const candidate = (connection: RouterConnection, model: string): Candidate => ({ connection, model, ref: `${connection.provider}:${model}` });

/**
 * The chain for one call: the tenant's policy, then the flow's and the state's overrides (later wins,
 * field by field). An entry resolves to the first connection (default first) of its provider that
 * serves the model; an empty chain is every connection with its primary model. A legacy llm state
 * `model` replaces the first candidate's model.
 */
export function resolveRouting(connections: RouterConnection[], policy: RoutingPolicy, overrides: RoutingOverride[] = [], legacyModel?: string): Routing {
  let chain = policy.chain;
  let maxCostCents = policy.max_cost_cents;
  for (const o of overrides) {
    if (o.chain) chain = o.chain;
    if (o.max_cost_cents !== undefined) maxCostCents = o.max_cost_cents;
  }
  const unserved: string[] = [];
  const candidates: Candidate[] = [];
  if (chain.length === 0) candidates.push(...connections.map((c) => candidate(c, c.model)));
  for (const ref of chain) {
    const split = ref.indexOf(":");
    const provider = ref.slice(0, split);
    const model = ref.slice(split + 1);
    const connection = connections.find((c) => c.provider === provider && serves(c, model));
    if (connection) candidates.push(candidate(connection, model));
    else unserved.push(ref);
  }
  if (legacyModel && candidates[0]) candidates[0] = candidate(candidates[0].connection, legacyModel);
  return { candidates, unserved, maxCostCents };
}
