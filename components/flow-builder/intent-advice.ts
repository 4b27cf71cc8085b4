import type { IntentAccuracy } from "@/server/nlu/cross-validation";

/** Below this many examples an intent is flagged: the classifier has too few phrasings to generalise from. */
export const ENOUGH_EXAMPLES = 5;

export function accuracyText(result: IntentAccuracy | undefined): string {
  if (!result) return "Measuring…";
  if (result.accuracy === null) {
    return result.examples === 0
      ? "Not measurable: with no examples the intent is recognised by the words of its name"
      : "Not measurable yet: a second example is needed to test the first against";
  }
  return `${result.correct} of ${result.examples} examples recognised (${Math.round(result.accuracy * 100)}%)`;
}

export function intentWarnings(result: IntentAccuracy | undefined): string[] {
  if (!result) return [];
  const warnings: string[] = [];
  if (result.examples < ENOUGH_EXAMPLES) {
    const more = ENOUGH_EXAMPLES - result.examples;
    warnings.push(`Fewer than ${ENOUGH_EXAMPLES} examples: add ${more} more so visitors' own wording is recognised`);
  }
  for (const confusion of result.confusedWith) {
    const others = confusion.count > 1 ? ` (and ${confusion.count - 1} more)` : "";
    warnings.push(`Often mistaken for ${confusion.intent}: "${confusion.examples[0]}"${others}`);
  }
  return warnings;
}
