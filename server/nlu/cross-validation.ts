import { trainClassifier, type IntentExamples } from "./classifier";
import { normalizeText } from "./text-normalize";

type Lists = Record<string, readonly string[]>;

/** Another intent the classifier answered for some of this intent's examples, with those examples. */
export type Confusion = { intent: string; count: number; examples: string[] };

/** `accuracy` is null when the intent has fewer than 2 distinct examples: holding out its only one measures nothing. */
export type IntentAccuracy = { examples: number; correct: number; accuracy: number | null; confusedWith: Confusion[] };

export type CrossValidation = {
  perIntent: Record<string, IntentAccuracy>;
  /** Correct answers over every held-out example; null when no intent is measurable. */
  overall: number | null;
  /** Unordered pairs with the mistakes in both directions added up, most mixed-up first. */
  confusablePairs: { a: string; b: string; count: number }[];
};

const MAX_FOLDS = 5;

// Intent names are the tenant's: "constructor" or "__proto__" must be plain keys.
const emptyRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** `index` is the example's place among its intent's distinct examples. */
type Prediction = { expected: string; index: number; text: string; predicted: string | null };

/** An intent's examples as the classifier sees them: blank ones dropped, repeats (same normalized text) once. */
function distinctExamples(examples: readonly string[] = []): { text: string; key: string }[] {
  const seen = new Set<string>();
  const out: { text: string; key: string }[] = [];
  for (const text of examples) {
    const key = normalizeText(text);
    if (key === "" || seen.has(key)) continue;
    seen.add(key);
    out.push({ text, key });
  }
  return out;
}

/**
 * Each intent's examples go round-robin over the folds, so an intent with up to `folds` examples is
 * tested leave-one-out. The round-robin start is picked per intent to keep a text that two intents
 * share out of the same fold: held out of one, it stays in the other's training, which is exactly
 * the mix-up a visitor would meet.
 */
function assignFolds(byIntent: Map<string, { text: string; key: string }[]>, folds: number): Map<string, number[]> {
  const foldsOfKey = new Map<string, Set<number>>();
  const assigned = new Map<string, number[]>();
  for (const [intent, examples] of byIntent) {
    let best = { offset: 0, clashes: Infinity };
    for (let offset = 0; offset < folds && best.clashes > 0; offset++) {
      const clashes = examples.filter((e, i) => foldsOfKey.get(e.key)?.has((i + offset) % folds)).length;
      if (clashes < best.clashes) best = { offset, clashes };
    }
    const chosen = examples.map((e, i) => {
      const fold = (i + best.offset) % folds;
      foldsOfKey.set(e.key, (foldsOfKey.get(e.key) ?? new Set()).add(fold));
      return fold;
    });
    assigned.set(intent, chosen);
  }
  return assigned;
}

function heldOutPredictions(intents: IntentExamples, lists: Lists): { predictions: Prediction[]; measurable: Set<string> } {
  const byIntent = new Map<string, { text: string; key: string }[]>();
  for (const [name, def] of Object.entries(intents)) byIntent.set(name, distinctExamples(def.examples));
  const measurable = new Set([...byIntent].filter(([, examples]) => examples.length >= 2).map(([name]) => name));
  const largest = Math.max(0, ...[...measurable].map((name) => byIntent.get(name)!.length));
  const folds = Math.min(MAX_FOLDS, largest);
  const foldOf = assignFolds(new Map([...byIntent].filter(([name]) => measurable.has(name))), folds);

  const predictions: Prediction[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const training = emptyRecord<{ examples: string[] }>();
    const heldOut: { expected: string; index: number; text: string }[] = [];
    for (const [name, examples] of byIntent) {
      const folding = foldOf.get(name);
      training[name] = { examples: examples.filter((_, i) => folding?.[i] !== fold).map((e) => e.text) };
      examples.forEach((e, i) => {
        if (folding?.[i] === fold) heldOut.push({ expected: name, index: i, text: e.text });
      });
    }
    const classifier = trainClassifier(training, lists);
    for (const example of heldOut) predictions.push({ ...example, predicted: classifier.classify(example.text).intent });
  }
  // Fold order is an accident of the assignment; mixed-up examples read best in the order they were written.
  return { predictions: predictions.sort((a, b) => a.index - b.index), measurable };
}

/** How well each intent's examples are recognised by a classifier that never saw them (k-fold, k <= 5). */
export function crossValidate(intents: IntentExamples, lists: Lists = {}): CrossValidation {
  const { predictions, measurable } = heldOutPredictions(intents, lists);
  const perIntent = emptyRecord<IntentAccuracy>();
  const confusions = new Map<string, Map<string, string[]>>();
  for (const name of Object.keys(intents)) {
    perIntent[name] = { examples: distinctExamples(intents[name]?.examples).length, correct: 0, accuracy: null, confusedWith: [] };
    confusions.set(name, new Map());
  }
  for (const { expected, text, predicted } of predictions) {
    if (predicted === expected) perIntent[expected]!.correct++;
    else if (predicted !== null) {
      const mixed = confusions.get(expected)!;
      mixed.set(predicted, [...(mixed.get(predicted) ?? []), text]);
    }
  }

  const pairCounts = new Map<string, { a: string; b: string; count: number }>();
  for (const [name, entry] of Object.entries(perIntent)) {
    if (measurable.has(name)) entry.accuracy = entry.correct / entry.examples;
    entry.confusedWith = [...confusions.get(name)!]
      .map(([intent, examples]) => ({ intent, count: examples.length, examples }))
      .sort((x, y) => y.count - x.count);
    for (const { intent, count } of entry.confusedWith) {
      const [a, b] = [name, intent].sort() as [string, string];
      const pair = pairCounts.get(`${a}\n${b}`) ?? { a, b, count: 0 };
      pair.count += count;
      pairCounts.set(`${a}\n${b}`, pair);
    }
  }

  const correct = predictions.filter((p) => p.predicted === p.expected).length;
  return {
    perIntent,
    overall: predictions.length > 0 ? correct / predictions.length : null,
    confusablePairs: [...pairCounts.values()].sort((x, y) => y.count - x.count),
  };
}
