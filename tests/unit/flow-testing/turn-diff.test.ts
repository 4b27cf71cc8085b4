import { describe, expect, it } from "vitest";
import { diffTurn, firstDifference, turnPassed } from "@/server/flow-testing/turn-diff";

const expected = { replies: ["Hi!", "How can I help?"], state: "menu", intent: "greet", slots: { name: "Ada", order: { id: 7, items: ["a"] } } };

describe("a replayed turn against the stored one", () => {
  it("passes when replies, state, intent and slots are equal, whatever the slots' key order", () => {
    const d = diffTurn(1, "hello", expected, { ...expected, slots: { order: { items: ["a"], id: 7 }, name: "Ada" } });
    expect(turnPassed(d)).toBe(true);
    expect([d.replies.changed, d.state.changed, d.intent.changed, d.slots.changed]).toEqual([false, false, false, false]);
    expect(firstDifference([d])).toBeNull();
  });

  it("words the first differing turn's first difference, field by field", () => {
    const same = diffTurn(1, "hello", expected, expected);
    const reply = diffTurn(2, "hello", expected, { ...expected, replies: ["Hi!", "What do you need?"] });
    expect(reply.replies.changed).toBe(true);
    expect(reply.state.changed).toBe(false);
    expect(firstDifference([same, reply])).toBe("Turn 2: expected reply “How can I help?”, got “What do you need?”");

    expect(firstDifference([diffTurn(1, "x", expected, { ...expected, replies: ["Hi!"] })])).toBe("Turn 1: expected reply “How can I help?”, got no reply");
    expect(firstDifference([diffTurn(1, "x", expected, { ...expected, replies: [...expected.replies, "Bye"] })])).toBe("Turn 1: expected no further reply, got “Bye”");
    expect(firstDifference([diffTurn(3, "x", expected, { ...expected, state: "goodbye" })])).toBe("Turn 3: expected state “menu”, got “goodbye”");
    expect(firstDifference([diffTurn(1, "x", expected, { ...expected, intent: null })])).toBe("Turn 1: expected intent “greet”, got none");
    expect(firstDifference([diffTurn(1, "x", expected, { ...expected, slots: { name: "Ada", order: { id: 8, items: ["a"] } } })])).toBe('Turn 1: expected slot order “{"id":7,"items":["a"]}”, got “{"id":8,"items":["a"]}”');
    expect(firstDifference([diffTurn(1, "x", expected, { ...expected, slots: { order: expected.slots.order } })])).toBe("Turn 1: expected slot name “Ada”, got no value");
  });

  it("adds the replay's notes on that turn", () => {
    const d = diffTurn(3, "x", expected, { ...expected, replies: ["Sorry."] }, ["no recorded model answer for turn 3"]);
    expect(firstDifference([d])).toBe("Turn 3: expected reply “Hi!”, got “Sorry.” (no recorded model answer for turn 3)");
  });
});
