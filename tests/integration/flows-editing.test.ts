import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { templateDefinition } from "@/server/flow-store/templates";
import { useWorkspaces } from "../helpers/flow-workspaces";

const flows = useWorkspaces();
const { workspace, memberOf } = flows;

const flowSaying = (text: string) => ({
  name: "support",
  version: "1.0",
  initial_state: "hello",
  states: { hello: { type: "response", config: { response_templates: { default: text } }, transitions: [{ condition: "any_input", target_state: "hello" }] } },
});

/** The refusal as the editor receives it: code, message and details. */
async function refusal(attempt: Promise<unknown>) {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the call was accepted").toBeInstanceOf(TRPCError);
  const { code, message, cause } = error as TRPCError & { cause?: { details?: unknown } };
  return { code, message, details: cause?.details };
}

describe("editing flows", () => {
  it("refuses a save based on an older revision, naming who saved meanwhile, and stores nothing of it until overwritten", async () => {
    const { tenantId, asOwner } = await workspace("Two Editors Co", "olga@editors.test");
    const asJane = await memberOf(tenantId, "jane@editors.test", "admin");
    const flow = await asOwner.flows.create({ name: "support", definition: flowSaying("Original") });
    const opened = await asOwner.flows.get({ flowId: flow.id });
    expect(opened).toMatchObject({ draftRevision: 0, updatedBy: "olga@editors.test", canvas: { positions: {}, samples: {} } });

    const janes = await asJane.flows.saveDraft({ flowId: flow.id, definition: flowSaying("Jane's words"), canvas: { positions: { hello: { x: 5, y: 6 } }, samples: {} }, baseRevision: 0 });
    expect(janes).toMatchObject({ draftRevision: 1, updatedBy: "jane@editors.test", valid: true, issues: [] });

    const olgas = await refusal(asOwner.flows.saveDraft({ flowId: flow.id, definition: flowSaying("Olga's words"), canvas: {}, baseRevision: opened.draftRevision }));
    expect(olgas).toEqual({
      code: "CONFLICT",
      message: "jane@editors.test saved this flow just now. Load their version or overwrite it with yours.",
      details: { updatedBy: "jane@editors.test", updatedAt: janes.updatedAt.toISOString(), draftRevision: 1 },
    });
    expect(await asOwner.flows.get({ flowId: flow.id })).toMatchObject({ draft: flowSaying("Jane's words"), draftRevision: 1, updatedBy: "jane@editors.test", canvas: { positions: { hello: { x: 5, y: 6 } } } });

    // The same person in a second window is told so, not named as a stranger.
    const ownWindow = await refusal(asJane.flows.saveDraft({ flowId: flow.id, definition: flowSaying("Stale tab"), canvas: {}, baseRevision: 0 }));
    expect(ownWindow.message).toBe("You saved this flow in another window just now. Load that version or overwrite it with this one.");

    // Overwriting is a save on the revision the conflict reported.
    const overwritten = await asOwner.flows.saveDraft({ flowId: flow.id, definition: flowSaying("Olga's words"), canvas: {}, baseRevision: 1 });
    expect(overwritten).toMatchObject({ draftRevision: 2, updatedBy: "olga@editors.test" });
    expect((await asOwner.flows.get({ flowId: flow.id })).draft).toEqual(flowSaying("Olga's words"));

    // Two saves racing from one revision: exactly one is stored.
    const raced = await Promise.allSettled(["First racer", "Second racer"].map((text) => asOwner.flows.saveDraft({ flowId: flow.id, definition: flowSaying(text), canvas: {}, baseRevision: 2 })));
    expect(raced.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((await asOwner.flows.get({ flowId: flow.id })).draftRevision).toBe(3);
  });

  it("stores the canvas with the draft, dropping the positions and samples of states the draft no longer has", async () => {
    const { asOwner } = await workspace("Canvas Co", "cat@canvas.test");
    const flow = await asOwner.flows.create({ name: "support", definition: flowSaying("Hi") });
    await asOwner.flows.saveDraft({
      flowId: flow.id,
      definition: flowSaying("Hi"),
      canvas: { positions: { hello: { x: 1, y: 2 }, deleted_state: { x: 3, y: 4 } }, samples: { hello: { status: 201, body: { ok: true } }, deleted_state: { body: null } } },
      baseRevision: 0,
    });
    const { canvas, draft } = await asOwner.flows.get({ flowId: flow.id });
    expect(canvas).toEqual({ positions: { hello: { x: 1, y: 2 } }, samples: { hello: { status: 201, body: { ok: true } } } });
    // Editor-only data never enters the definition, nor what is published.
    expect(draft).toEqual(flowSaying("Hi"));
    const version = await asOwner.flows.publish({ flowId: flow.id });
    expect(JSON.stringify(version.definition)).not.toContain("positions");
  });

  it("creates a flow from a template or blank, and lists each flow's last editor and number of states", async () => {
    const { tenantId, asOwner } = await workspace("Templates Co", "tim@templates.test");
    expect((await asOwner.flows.templates()).map((t) => t.id)).toEqual(["customer_support", "lead_capture", "faq", "human_handoff"]);

    const support = await asOwner.flows.create({ name: "Support", template: "customer_support" });
    const opened = await asOwner.flows.get({ flowId: support.id });
    expect(opened).toMatchObject({ name: "Support", draft: templateDefinition("customer_support"), valid: true, issues: [], liveVersion: null, publishedVersion: null });
    await asOwner.flows.publish({ flowId: support.id });

    const blank = await asOwner.flows.create({ name: "Blank" });
    expect((await asOwner.flows.get({ flowId: blank.id })).draft).toEqual(templateDefinition(undefined));
    const asAdmin = await memberOf(tenantId, "ada@templates.test", "admin");
    await asAdmin.flows.saveDraft({ flowId: blank.id, definition: templateDefinition("faq"), canvas: {}, baseRevision: 0 });

    expect((await asOwner.flows.list()).map((f) => [f.name, f.updatedBy, f.stateCount, f.publishedVersion, f.live])).toEqual([
      ["Blank", "ada@templates.test", Object.keys(templateDefinition("faq").states).length, null, false],
      ["Support", "tim@templates.test", Object.keys(templateDefinition("customer_support").states).length, 1, true],
    ]);
    expect(await refusal(asOwner.flows.create({ name: "Both", template: "faq", definition: flowSaying("Hi") }))).toMatchObject({
      code: "BAD_REQUEST",
      message: "Start from a template or import a definition, not both.",
    });
  });

  it("duplicates a flow's draft and canvas under a new name, renames, and keeps names unique, naming the field", async () => {
    const { tenantId, ownerId, asOwner } = await workspace("Copies Co", "cora@copies.test");
    const original = await asOwner.flows.create({ name: "support", definition: flowSaying("Original") });
    await asOwner.flows.saveDraft({ flowId: original.id, definition: flowSaying("Original"), canvas: { positions: { hello: { x: 7, y: 8 } } }, baseRevision: 0 });
    await asOwner.flows.publish({ flowId: original.id });
    await asOwner.flows.create({ name: "sales", definition: flowSaying("Sales") });

    const copy = await asOwner.flows.duplicate({ flowId: original.id, name: "support (copy)" });
    expect(await asOwner.flows.get({ flowId: copy.id })).toMatchObject({ name: "support (copy)", draft: flowSaying("Original"), canvas: { positions: { hello: { x: 7, y: 8 } } }, publishedVersion: null });
    expect(await asOwner.flows.versions({ flowId: copy.id })).toEqual([]);

    const taken = { code: "CONFLICT", message: 'A flow named "sales" already exists.', details: { fields: { name: 'A flow named "sales" already exists.' } } };
    expect(await refusal(asOwner.flows.duplicate({ flowId: original.id, name: "sales" }))).toEqual(taken);
    expect(await refusal(asOwner.flows.rename({ flowId: copy.id, name: "sales" }))).toEqual(taken);
    expect(await refusal(asOwner.flows.create({ name: "sales", definition: flowSaying("Again") }))).toEqual(taken);

    expect(await asOwner.flows.rename({ flowId: copy.id, name: "  support v2  " })).toEqual({ id: copy.id, name: "support v2" });
    expect(await asOwner.flows.rename({ flowId: copy.id, name: "support v2" })).toEqual({ id: copy.id, name: "support v2" });
    expect((await asOwner.flows.list()).map((f) => f.name).sort()).toEqual(["sales", "support", "support v2"]);
    const audit = await flows.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "flow.renamed")));
    expect(audit[0]).toMatchObject({ actorUserId: ownerId, targetId: copy.id, details: { from: "support (copy)", to: "support v2" } });
  });

  it("exports the draft as canonical JSON that imports back to the same flow and exports to the same bytes", async () => {
    const { asOwner } = await workspace("Export Co", "eve@export.test");
    // Written in an order of its own, with fields the defaults would add left out.
    const imported = {
      states: {
        hello: {
          transitions: [{ target_state: "ask", priority: 5, condition: "any_input" }],
          config: { quick_replies: ["Yes"], response_templates: { welcome: "Hi again", default: "Hello" } },
          type: "response",
        },
        ask: { config: { prompts: { email: "Your email?" }, required_slots: ["email"] }, type: "slot_filling", transitions: [{ target_state: "hello", condition: "fallback" }] },
      },
      settings: { not_understood: "Pardon?", max_steps: 10 },
      initial_state: "hello",
      version: "2",
      name: "acme",
    };
    const flow = await asOwner.flows.create({ name: "Acme Support (v2) / Ünïcode", definition: imported });

    const exported = await asOwner.flows.export({ flowId: flow.id });
    expect(exported.filename).toBe("acme-support-v2-unicode.json");
    expect(JSON.parse(exported.json)).toEqual(imported);
    expect(exported.json.endsWith("}\n")).toBe(true);
    expect(exported.json.split("\n").slice(0, 3)).toEqual(["{", '  "name": "acme",', '  "version": "2",']);
    const parsed = JSON.parse(exported.json);
    expect(Object.keys(parsed)).toEqual(["name", "version", "initial_state", "states", "settings"]);
    expect(Object.keys(parsed.states.hello)).toEqual(["type", "config", "transitions"]);
    expect(Object.keys(parsed.states.hello.config)).toEqual(["response_templates", "quick_replies"]);
    expect(Object.keys(parsed.states.hello.transitions[0])).toEqual(["condition", "target_state", "priority"]);
    expect(Object.keys(parsed.settings)).toEqual(["max_steps", "not_understood"]);

    const again = await asOwner.flows.create({ name: "re-imported", definition: JSON.parse(exported.json) });
    expect((await asOwner.flows.export({ flowId: again.id })).json).toBe(exported.json);
  });

  it("lets members view and export, but not create, duplicate, rename or save", async () => {
    const { tenantId, asOwner } = await workspace("Members Co", "own@members.test");
    const asMember = await memberOf(tenantId, "mia@members.test", "member");
    const flow = await asOwner.flows.create({ name: "support", definition: flowSaying("Hi") });

    for (const attempt of [
      () => asMember.flows.create({ name: "mine" }),
      () => asMember.flows.duplicate({ flowId: flow.id, name: "mine" }),
      () => asMember.flows.rename({ flowId: flow.id, name: "mine" }),
      () => asMember.flows.saveDraft({ flowId: flow.id, definition: flowSaying("Member's words"), canvas: {}, baseRevision: 0 }),
    ]) {
      expect((await refusal(attempt())).code).toBe("FORBIDDEN");
    }
    expect((await asMember.flows.list()).map((f) => f.name)).toEqual(["support"]);
    expect((await asMember.flows.get({ flowId: flow.id })).draft).toEqual(flowSaying("Hi"));
    expect(JSON.parse((await asMember.flows.export({ flowId: flow.id })).json)).toEqual(flowSaying("Hi"));
  });
});
