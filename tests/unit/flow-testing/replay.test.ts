import { describe, expect, it } from "vitest";
import { replayFlow } from "@/server/flow-testing/flow-targets";
import { replayTurns } from "@/server/flow-testing/replay";
import type { TestCaseTurn } from "@/server/flow-testing/test-case-schema";
import { helpDesk } from "../../helpers/help-desk-flow";
import { defineFlow } from "../flows/flow-fixtures";

const AT = "2026-03-10T12:00:00.000Z";

const turn = (text: string, expected: TestCaseTurn["expected"], modelAnswers: (string | null)[] = []): TestCaseTurn => ({ input: { type: "text", text }, at: AT, expected, model_answers: modelAnswers });

const stored: TestCaseTurn[] = [
  turn("I have a question about my invoice", { replies: ["Your invoice total includes tax."], state: "billing_help", intent: "billing", slots: {} }, ["Your invoice total includes tax."]),
  turn("when will my parcel ship", { replies: ["Parcels ship within 2 days."], state: "shipping", intent: "shipping", slots: {} }),
];

describe("replaying a conversation with its recorded model answers", () => {
  it("reproduces every turn against the flow it ran on, the model's reply coming from the recording", async () => {
    const result = await replayTurns(replayFlow(defineFlow(helpDesk("Parcels ship within 2 days."))), stored);
    expect(result.first_difference).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.turns.map((t) => t.replies.actual)).toEqual([["Your invoice total includes tax."], ["Parcels ship within 2 days."]]);
    expect(result.intents).toEqual([
      { expected: "billing", actual: "billing" },
      { expected: "shipping", actual: "shipping" },
    ]);
  });

  it("flags the changed reply of a changed flow in its turn and leaves the other fields unchanged", async () => {
    const result = await replayTurns(replayFlow(defineFlow(helpDesk("Parcels ship tomorrow."))), stored);
    expect(result.passed).toBe(false);
    expect(result.first_difference).toBe("Turn 2: expected reply “Parcels ship within 2 days.”, got “Parcels ship tomorrow.”");
    const second = result.turns[1]!;
    expect([second.replies.changed, second.state.changed, second.intent.changed, second.slots.changed]).toEqual([true, false, false, false]);
    expect(result.turns[0]!.replies.changed).toBe(false);
  });

  it("says so when the flow asks the model more often than the recording answered, and answers with the fallback template", async () => {
    const unrecorded = [turn("my bill is wrong", { replies: ["We will fix your bill."], state: "billing_help", intent: "billing", slots: {} })];
    const result = await replayTurns(replayFlow(defineFlow(helpDesk("x"))), unrecorded);
    expect(result.turns[0]!.notes).toEqual(["no recorded model answer for turn 1"]);
    expect(result.first_difference).toBe("Turn 1: expected reply “We will fix your bill.”, got “A billing specialist will write back.” (no recorded model answer for turn 1)");
  });

  it("answers with the fallback template again where no model answered in the recorded turn", async () => {
    const failed = [turn("billing problem", { replies: ["A billing specialist will write back."], state: "billing_help", intent: "billing", slots: {} }, [null])];
    const result = await replayTurns(replayFlow(defineFlow(helpDesk("x"))), failed);
    expect(result.passed).toBe(true);
    expect(result.turns[0]!.notes).toEqual([]);
  });
});
