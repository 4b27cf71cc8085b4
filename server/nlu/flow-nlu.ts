import type { FlowDefinition } from "@/server/flows/flow-schema";
import { trainClassifier, type IntentExamples, type IntentResult } from "./classifier";
import { createEntityExtractor, type Entities } from "./entities";

export type FlowNlu = {
  classify(text: string, candidates?: readonly string[]): IntentResult;
  extract(text: string, now: Date): Entities;
};

/**
 * Trains once per flow version; the result is immutable, so callers can cache it by
 * (flow id, version). Intent names a state listens for but `flow.intents` doesn't define
 * become keyword intents.
 */
export function buildFlowNlu(flow: FlowDefinition): FlowNlu {
  const intents: IntentExamples = { ...flow.intents };
  for (const state of Object.values(flow.states)) {
    if (state.type !== "intent") continue;
    for (const name of state.config.intent_patterns) intents[name] ??= { examples: [] };
  }
  const classifier = trainClassifier(intents, flow.entities.lists);
  const extract = createEntityExtractor(flow.entities.lists);
  return { classify: (text, candidates) => classifier.classify(text, candidates), extract };
}
