import type { FlowDefinition } from "../flows/flow-schema";
import type { IntentExamples } from "../nlu/classifier";
import { createNlu, type Nlu } from "../nlu/nlu";

/**
 * The NLU for one flow version, cacheable by (flow id, version). Intent names a state listens
 * for but `flow.intents` doesn't define become keyword intents.
 */
export function buildFlowNlu(flow: FlowDefinition): Nlu {
  const intents: IntentExamples = { ...flow.intents };
  for (const state of Object.values(flow.states)) {
    if (state.type !== "intent") continue;
    for (const name of state.config.intent_patterns) intents[name] ??= { examples: [] };
  }
  return createNlu(intents, flow.entities.lists);
}
