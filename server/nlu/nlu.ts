import { trainClassifier, type IntentExamples, type IntentResult } from "./classifier";
import { createEntityExtractor, type Entities } from "./entities";

/** What a conversation needs understood: which intent a text expresses, and which entities it names. */
export type Nlu = {
  classify(text: string, candidates?: readonly string[]): IntentResult;
  extract(text: string, now: Date): Entities;
};

/** Short texts repeat (greetings, the words of quick-reply buttons); longer ones rarely do, and would only fill the memo. */
const MEMO_TEXT_LENGTH = 120;
const MEMO_ENTRIES = 2_000;

/**
 * Trains once; the result is immutable, so callers can cache it for as long as its inputs stay the same.
 * A trained classifier answers a text the same way every time, so short texts' answers are remembered
 * (least recently used go first) and each caller gets its own copy.
 */
export function createNlu(intents: IntentExamples, lists: Record<string, readonly string[]>): Nlu {
  const classifier = trainClassifier(intents, lists);
  const extract = createEntityExtractor(lists);
  const memo = new Map<string, IntentResult>();
  const copy = (r: IntentResult): IntentResult => ({ ...r, alternatives: r.alternatives.map((a) => ({ ...a })) });
  return {
    classify(text, candidates) {
      if (text.length > MEMO_TEXT_LENGTH) return classifier.classify(text, candidates);
      const key = `${candidates ? candidates.join("\u0001") : "\u0002"}\u0000${text}`;
      let result = memo.get(key);
      if (result) memo.delete(key);
      else result = classifier.classify(text, candidates);
      memo.set(key, result);
      if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
      return copy(result);
    },
    extract,
  };
}
