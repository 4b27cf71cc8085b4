import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TestCasesView, type RunState, type TestCaseRow } from "@/components/flow-builder/test-cases-panel-view";
import { replayFlow } from "@/server/flow-testing/flow-targets";
import type { TestCaseTurn } from "@/server/flow-testing/test-case-schema";
import { evaluateSuite } from "@/server/flow-testing/test-suite";
import { helpDesk } from "../../helpers/help-desk-flow";
import { defineFlow } from "../flows/flow-fixtures";

const NOW = new Date("2026-03-12T12:00:00.000Z");
const CONVERSATION = "4f1c2a9e-7b3d-4c1e-9a2b-1d2e3f4a5b6c";

const cases: TestCaseRow[] = [
  { id: "c1", name: "Parcel question", turns: 2, sourceConversationId: CONVERSATION, createdAt: new Date("2026-03-10T12:00:00.000Z"), createdBy: "ada@example.com" },
  { id: "c2", name: "Refund", turns: 1, sourceConversationId: null, createdAt: new Date("2026-03-12T11:59:50.000Z"), createdBy: null },
];

function render(props: { cases: TestCaseRow[]; canManage: boolean; run?: RunState }): string {
  return renderToStaticMarkup(createElement(TestCasesView, { run: null, now: NOW, onRun: () => {}, onDelete: async () => {}, ...props }));
}

/** What a person reads: the markup without tags, entities decoded. */
const text = (html: string) => html.replace(/<[^>]*>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");
const rows = (html: string) => [...html.matchAll(/<li data-testid="test-case-row"[\s\S]*?<\/li>/g)].map((m) => text(m[0]).trim());
const count = (html: string, testId: string) => html.split(`data-testid="${testId}"`).length - 1;

describe("test cases panel", () => {
  it("lists each case with its turns, its source conversation in the inbox and when and by whom it was saved", () => {
    const html = render({ cases, canManage: true });
    expect(rows(html)).toEqual([
      "Parcel question 2 turns Source conversation Saved 2 days ago by ada@example.com Delete",
      "Refund 1 turn Saved just now by a former member Delete",
    ]);
    expect(html).toContain(`href="/dashboard/inbox/${CONVERSATION}"`);
    expect(count(html, "delete-test-case")).toBe(2);
    expect(text(html)).toContain("Run tests");
    expect(count(html, "run-test-cases")).toBe(1);
  });

  it("explains how to add a test case when the flow has none, without a run button", () => {
    const html = render({ cases: [], canManage: true });
    expect(count(html, "test-case-row")).toBe(0);
    expect(text(html)).toContain("No test cases yet. Save a conversation as a test case from its transcript in the Inbox;");
    expect(html).toContain('href="/dashboard/inbox"');
    expect(count(html, "run-test-cases")).toBe(0);
  });

  it("shows a member the list with neither run nor delete, and an empty state that does not tell them to save one", () => {
    const html = render({ cases, canManage: false });
    expect(rows(html)).toEqual(["Parcel question 2 turns Source conversation Saved 2 days ago by ada@example.com", "Refund 1 turn Saved just now by a former member"]);
    expect(count(html, "delete-test-case")).toBe(0);
    expect(count(html, "run-test-cases")).toBe(0);
    expect(text(render({ cases: [], canManage: false }))).toContain("No test cases yet. Owners and admins add them by saving a conversation from its transcript in the Inbox.");
  });

  it("shows pass or fail per case with the first differing turn after a run against a changed draft", async () => {
    const turn = (text: string, reply: string, state: string, intent: string): TestCaseTurn => ({
      input: { type: "text", text },
      at: "2026-03-10T12:00:00.000Z",
      expected: { replies: [reply], state, intent, slots: {} },
      model_answers: [],
    });
    const outcome = await evaluateSuite(
      [
        { id: "c1", name: "Parcel question", turns: [turn("when will my parcel ship", "Parcels ship within 2 days.", "shipping", "shipping")] },
        { id: "c2", name: "Billing", turns: [turn("billing problem", "A billing specialist will write back.", "billing_help", "billing")] },
      ],
      replayFlow(defineFlow(helpDesk("Parcels ship tomorrow."))),
      null,
    );
    const html = render({ cases, canManage: true, run: { kind: "done", outcome } });
    expect(text(html)).toContain("1 of 2 test cases passed against this draft.");
    const results = [...html.matchAll(/<li data-testid="test-case-result" data-passed="(true|false)">([\s\S]*?)<\/li>/g)].map((m) => [m[1], text(m[2]!).trim()]);
    expect(results).toEqual([
      ["false", "Parcel question : failed Turn 1: expected reply “Parcels ship within 2 days.”, got “Parcels ship tomorrow.”"],
      ["true", "Billing : passed"],
    ]);
  });

  it("disables the button while the run is under way and says why a run did not happen", () => {
    expect(render({ cases, canManage: true, run: { kind: "running" } })).toMatch(/<button type="button" data-testid="run-test-cases" disabled="">Running…<\/button>/);
    const html = render({ cases, canManage: true, run: { kind: "failed", message: "The test cases did not run: the draft is not saved." } });
    expect(html).toContain('data-testid="test-run-error"');
    expect(text(html)).toContain("The test cases did not run: the draft is not saved.");
  });
});
