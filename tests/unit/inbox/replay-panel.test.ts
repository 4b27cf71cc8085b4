import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ReplayPanelView, type ReplayState } from "@/components/inbox/replay-panel-view";
import { replaySummary } from "@/components/inbox/replay-result";
import { replayFlow } from "@/server/flow-testing/flow-targets";
import { replayTurns } from "@/server/flow-testing/replay";
import type { ReplayTargets } from "@/server/flow-testing/replay-targets";
import type { FlowTarget, TestCaseTurn } from "@/server/flow-testing/test-case-schema";
import { helpDesk } from "../../helpers/help-desk-flow";
import { defineFlow } from "../flows/flow-fixtures";

const OLD_REPLY = "Parcels ship within 2 days.";
const NEW_REPLY = "Parcels ship tomorrow.";
const MODEL_ANSWER = "Your invoice total includes tax.";

const turn = (text: string, reply: string, state: string, intent: string | null, model_answers: string[] = []): TestCaseTurn => ({
  input: { type: "text", text },
  at: "2026-03-10T12:00:00.000Z",
  expected: { replies: [reply], state, intent, slots: {} },
  model_answers,
});
/** A stored conversation of the help desk as it was published with OLD_REPLY. */
const conversation = [
  turn("I have a question about my invoice", MODEL_ANSWER, "billing_help", "billing", [MODEL_ANSWER]),
  turn("when will my parcel ship", OLD_REPLY, "shipping", "shipping"),
  turn("zzz qwerty", "Sorry, is this about billing or shipping?", "unknown", null),
];
const replayAgainst = async (shippingReply: string, version: number | "draft") => ({
  flow_id: "f1",
  version,
  ...(await replayTurns(replayFlow(defineFlow(helpDesk(shippingReply))), conversation)),
});

const targets: ReplayTargets = {
  flow_id: "f1",
  flow_name: "Help desk",
  ran_on_version: 1,
  published_version: 2,
  versions: [
    { version: 2, note: null, created_at: new Date("2026-03-11T12:00:00.000Z") },
    { version: 1, note: null, created_at: new Date("2026-03-10T12:00:00.000Z") },
  ],
};

const render = (props: { targets?: ReplayTargets | null; target?: FlowTarget; state?: ReplayState }) =>
  renderToStaticMarkup(createElement(ReplayPanelView, { targets, target: "published", state: null, onTarget: () => {}, onReplay: () => {}, ...props }));

/** What a person reads: the markup without tags, entities decoded. */
const text = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
const turns = (html: string) => [...html.matchAll(/<li[^>]*data-testid="replay-turn" data-passed="(true|false)">([\s\S]*?)<\/li>/g)].map((m) => [m[1], text(m[2]!)]);

describe("replaying a conversation from its transcript", () => {
  it("offers the published version, the draft and every version by number, marking the one the conversation ran on", () => {
    const html = render({ target: 1 });
    const options = [...html.matchAll(/<option value="([^"]+)"( selected="")?>([^<]*)<\/option>/g)].map((m) => [m[1], m[3], Boolean(m[2])]);
    expect(options).toEqual([
      ["published", "Published version (version 2)", false],
      ["draft", "Draft", false],
      ["2", "Version 2 (published)", false],
      ["1", "Version 1 (this conversation ran on it)", true],
    ]);
    expect(html).toMatch(/<button type="button" class="secondary" data-testid="replay-conversation">Replay<\/button>/);
    expect(html).not.toContain('data-testid="replay-result"');
    // A flow never published offers its draft and no "published" target.
    expect(render({ targets: { ...targets, published_version: null }, target: "draft" })).not.toContain('value="published"');
  });

  it("says every turn matches when the target behaves as the conversation did", async () => {
    const html = render({ state: { kind: "done", report: await replayAgainst(OLD_REPLY, 1) } });
    expect(text(html.match(/<p[^>]*data-testid="replay-summary"[^>]*>[\s\S]*?<\/p>/)![0])).toBe("All 3 turns match");
    expect(turns(html).map(([passed]) => passed)).toEqual(["true", "true", "true"]);
    expect(text(html)).not.toContain("changed");
  });

  it("marks a changed reply in words on its turn, expected beside actual, and counts the turns that differ", async () => {
    const report = await replayAgainst(NEW_REPLY, "draft");
    const html = render({ target: "draft", state: { kind: "done", report } });
    expect(text(html)).toContain("1 of 3 turns differs Replayed against the draft, with the model answers recorded in the conversation. Turn 2: expected reply “Parcels ship within 2 days.”, got “Parcels ship tomorrow.”");
    const rows = turns(html);
    expect(rows.map(([passed]) => passed)).toEqual(["true", "false", "true"]);
    expect(rows[1]![1]).toBe(
      `Turn 2 “when will my parcel ship” Differs Field Expected Actual Result Reply ${OLD_REPLY} ${NEW_REPLY} Reply changed State shipping shipping Same Intent shipping shipping Same Slots none none Same`,
    );
    expect(rows[0]![1]).toContain(`Reply ${MODEL_ANSWER} ${MODEL_ANSWER} Same`);
    expect(html.match(/<tr data-field="replies" data-changed="true">/g)).toHaveLength(1);
    expect(replaySummary([...report.turns, ...report.turns])).toBe("2 of 6 turns differ");
  });

  it("disables the button while replaying, says why a replay failed, and explains a conversation with nothing to replay against", () => {
    expect(render({ state: { kind: "running" } })).toMatch(/data-testid="replay-conversation" disabled="">Replaying…<\/button>/);
    const failed = render({ target: "draft", state: { kind: "failed", message: "Fix the errors in this draft before testing it." } });
    expect(text(failed.match(/<p[^>]*data-testid="replay-error"[^>]*>[\s\S]*?<\/p>/)![0])).toBe("Fix the errors in this draft before testing it.");
    const none = render({ targets: null });
    expect(text(none)).toBe("This conversation ran on no published flow, so there is nothing to replay it against.");
    expect(none).not.toContain("replay-conversation");
  });
});
