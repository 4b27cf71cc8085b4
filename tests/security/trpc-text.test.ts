import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { flows as flowsTable } from "@/db/schema";
import { useWorkspaces } from "../helpers/flow-workspaces";

const workspaces = useWorkspaces();
const NUL = "a\u0000b";
const LONE = "a\uD800b";
const RULE = "must not contain NUL characters or unpaired UTF-16 surrogates";

const greeting = (text: string) => ({
  name: "support",
  version: "1.0",
  initial_state: "hello",
  states: { hello: { type: "response", config: { response_templates: { default: text } }, transitions: [] } },
});

/** The refusal as the input schema's own would be: a 400 whose message and issue path say which text and why. */
async function refusal(attempt: Promise<unknown>) {
  const error = (await attempt.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; message?: string; cause?: { issues?: { path: PropertyKey[] }[] } } | null;
  return { code: error?.code, message: error?.message, at: error?.cause?.issues?.map((i) => i.path.join(".")) };
}

// Postgres refuses such text in text and jsonb columns; before this guard it surfaced as a 500.
describe("tRPC: text Postgres cannot store is refused with a 400 naming where it is, and nothing is stored", () => {
  it("in a flow's name and anywhere inside its definition", async () => {
    const { tenantId, asOwner } = await workspaces.workspace("Text Outdoor", `text-${Date.now()}@example.com`);
    expect(await refusal(asOwner.flows.create({ name: NUL, definition: greeting("Hi") }))).toEqual({
      code: "BAD_REQUEST",
      message: `Name ${RULE}`,
      at: ["name"],
    });
    expect(await refusal(asOwner.flows.create({ name: "support", definition: greeting(LONE) }))).toEqual({
      code: "BAD_REQUEST",
      message: `Default ${RULE}`,
      at: ["definition.states.hello.config.response_templates.default"],
    });
    expect(await workspaces.db.select().from(flowsTable).where(eq(flowsTable.tenantId, tenantId))).toEqual([]);

    const flow = await asOwner.flows.create({ name: "support", definition: greeting("Hi") });
    const saved = await refusal(
      asOwner.flows.saveDraft({ flowId: flow.id, definition: greeting("Hi"), canvas: { positions: { [NUL]: { x: 0, y: 0 } }, samples: {} }, baseRevision: flow.draftRevision }),
    );
    expect(saved).toEqual({ code: "BAD_REQUEST", message: `Positions ${RULE}`, at: ["canvas.positions"] });
    expect(await refusal(asOwner.flows.publish({ flowId: flow.id, note: NUL }))).toEqual({ code: "BAD_REQUEST", message: `Note ${RULE}`, at: ["note"] });
    const [stored] = await workspaces.db.select().from(flowsTable).where(eq(flowsTable.id, flow.id));
    expect(stored).toMatchObject({ draftRevision: flow.draftRevision, canvas: {} });
  });

  it("in what an admin types into Try it", async () => {
    const { asOwner } = await workspaces.workspace("Try Outdoor", `try-${Date.now()}@example.com`);
    const flow = await asOwner.flows.create({ name: "support", definition: greeting("Hi") });
    expect(await refusal(asOwner.flows.tryIt({ flowId: flow.id, definition: greeting("Hi"), samples: {}, state: null, text: NUL }))).toEqual({
      code: "BAD_REQUEST",
      message: `Text ${RULE}`,
      at: ["text"],
    });
  });
});
