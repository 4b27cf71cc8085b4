import { trainClassifier, type IntentExamples, type IntentResult } from "./classifier";
import { createEntityExtractor, type Entities } from "./entities";

/** What a conversation needs understood: which intent a text expresses, and which entities it names. */
export type Nlu = {
  classify(text: string, candidates?: readonly string[]): IntentResult;
  extract(text: string, now: Date): Entities;
};

/** Trains once; the result is immutable, so callers can cache it for as long as its inputs stay the same. */
export function createNlu(intents: IntentExamples, lists: Record<string, readonly string[]>): Nlu {
  const classifier = trainClassifier(intents, lists);
  const extract = createEntityExtractor(lists);
  return { classify: (text, candidates) => classifier.classify(text, candidates), extract };
}
