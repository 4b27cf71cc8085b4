import { describe, expect, it } from "vitest";
import { intentMetrics, withPrevious } from "@/server/flow-testing/intent-metrics";

describe("per-intent precision, recall and F1", () => {
  it("counts a wrong guess against the guessed intent's precision and the expected one's recall", () => {
    const metrics = intentMetrics([
      { expected: "billing", actual: "billing" },
      { expected: "billing", actual: "billing" },
      { expected: "billing", actual: "shipping" },
      { expected: "shipping", actual: "shipping" },
      // Expected nothing, got billing: billing's precision suffers, no "none" row appears.
      { expected: null, actual: "billing" },
      // Expected shipping, understood nothing: shipping's recall suffers.
      { expected: "shipping", actual: null },
    ]);
    expect(metrics).toEqual([
      { intent: "billing", precision: 0.667, recall: 0.667, f1: 0.667, support: 3 },
      { intent: "shipping", precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
    ]);
  });

  it("gives 0, not NaN, to an intent that was never guessed right", () => {
    expect(intentMetrics([{ expected: "refund", actual: null }])).toEqual([{ intent: "refund", precision: 0, recall: 0, f1: 0, support: 1 }]);
  });

  it("puts the previous version's F1 beside each intent, null where that version never saw it", () => {
    const current = intentMetrics([{ expected: "billing", actual: "billing" }, { expected: "refund", actual: "refund" }]);
    const previous = intentMetrics([{ expected: "billing", actual: "shipping" }]);
    expect(withPrevious(current, previous).map((m) => [m.intent, m.f1, m.previous_f1])).toEqual([
      ["billing", 1, 0],
      ["refund", 1, null],
    ]);
    expect(withPrevious(current, null).every((m) => m.previous_f1 === null)).toBe(true);
  });
});
