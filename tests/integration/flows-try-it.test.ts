import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, memberships, messages, usageCounters } from "@/db/schema";
import { lookupOrder } from "@/server/demo/catalog";
import { resetEnvForTests } from "@/server/env";
import type { ConversationState } from "@/server/flows/conversation-state";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import { FALLBACK_TEXT } from "@/server/pipeline/process-message";
import { startFakeStoreApi } from "../helpers/fake-store-api";
import { useWorkspaces } from "../helpers/flow-workspaces";

const flows = useWorkspaces();
const { workspace } = flows;

let store: Awaited<ReturnType<typeof startFakeStoreApi>>;
/** A loopback server the operator did not allow: nothing may reach it. */
let internal: { server: Server; url: string; requests: string[] };

beforeAll(async () => {
  store = await startFakeStoreApi();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  internal = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
  // As a deployment allows its own store API; every other private address stays refused.
  process.env.OUTBOUND_ALLOWED_HOSTS = store.host;
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await store.close();
  await new Promise((resolve) => internal.server.close(resolve));
});

const flowSaying = (text: string): FlowDefinitionInput => ({
  name: "support",
  version: "1.0",
  initial_state: "hello",
  states: { hello: { type: "response", config: { response_templates: { default: text } }, transitions: [{ condition: "any_input", target_state: "hello" }] } },
});

/** Order support: an intent router, a slot, an integration whose answer fills slots, and replies that use them. */
const orderFlow = (endpointBase: string): FlowDefinitionInput => ({
  name: "orders",
  version: "1.0",
  initial_state: "route",
  intents: {
    order_status: { examples: ["where is my order", "track my order", "has my order shipped", "order status please", "when will my parcel arrive"] },
    refund: { examples: ["I want a refund for my order", "give me my money back", "refund my purchase", "return this item", "can I get a refund"] },
  },
  states: {
    route: {
      type: "intent",
      config: { intent_patterns: ["order_status", "refund"] },
      transitions: [
        { condition: "intent_match", condition_value: "order_status", target_state: "ask_order", priority: 10 },
        { condition: "intent_match", condition_value: "refund", target_state: "refunds", priority: 20 },
        { condition: "fallback", target_state: "refunds", priority: 30 },
      ],
    },
    ask_order: {
      type: "slot_filling",
      config: { required_slots: ["order_number"], prompts: { order_number: "What is your order number?" } },
      transitions: [{ condition: "slot_filled", target_state: "lookup" }],
    },
    lookup: {
      type: "integration",
      config: { integration_id: "store_orders", endpoint: `${endpointBase}/orders/{order_number}`, response_mapping: { order_status: "status" }, timeout_ms: 2000 },
      transitions: [
        { condition: "integration_success", target_state: "tell" },
        { condition: "integration_error", target_state: "sorry" },
      ],
    },
    tell: { type: "response", config: { response_templates: { default: "Order {order_number} is {order_status}." } }, transitions: [{ condition: "any_input", target_state: "route" }] },
    sorry: { type: "response", config: { response_templates: { default: "We could not look up order {order_number}." } }, transitions: [{ condition: "any_input", target_state: "route" }] },
    refunds: { type: "response", config: { response_templates: { default: "Refunds take five days." } }, transitions: [{ condition: "any_input", target_state: "route" }] },
  },
});

/** Rows a sandbox conversation must never add: conversations, their messages, and the usage they count. */
async function storedRows(tenantId: string) {
  const count = async (table: typeof conversations | typeof messages) => (await flows.db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.tenantId, tenantId)))[0]!.n;
  const [usage] = await flows.db.select({ n: sql<number>`coalesce(sum(${usageCounters.value}), 0)::int` }).from(usageCounters).where(eq(usageCounters.tenantId, tenantId));
  return { conversations: await count(conversations), messages: await count(messages), usage: usage!.n };
}

const texts = (result: { messages: { text: string }[] }) => result.messages.map((m) => m.text);
const path = (result: { trace: { state: string; transition?: string }[] }) => result.trace.map((s) => (s.transition ? `${s.state} (${s.transition})` : s.state));
/** Between turns the state goes through JSON, as it does between the browser and the server. */
const carried = (state: ConversationState): ConversationState => JSON.parse(JSON.stringify(state));

describe("Try it: the unsaved draft through the production engine", () => {
  it("answers with the draft's new text while new conversations still get the live version, storing nothing", async () => {
    const { tenantId, asOwner } = await workspace("Sandbox Co", "owner@sandbox.test");
    const flow = await asOwner.flows.create({ name: "support", definition: flowSaying("Hello from version 1") });
    await asOwner.flows.publish({ flowId: flow.id });

    const live = await asOwner.chat.test({ text: "hi", newConversation: true });
    expect(texts(live.response)).toEqual(["Hello from version 1"]);
    const before = await storedRows(tenantId);
    expect(before.conversations).toBe(1);

    const tried = await asOwner.flows.tryIt({ flowId: flow.id, definition: flowSaying("Hello from the draft"), samples: {}, state: null, text: "hi" });
    expect(texts(tried)).toEqual(["Hello from the draft"]);
    expect(path(tried)).toEqual(["hello"]);
    expect(tried).toMatchObject({ status: "active", error: null, state: { current_state: "hello", turn_count: 1 } });
    const again = await asOwner.flows.tryIt({ flowId: flow.id, definition: flowSaying("Hello from the draft"), samples: {}, state: carried(tried.state), text: "and again" });
    expect(again.state.turn_count).toBe(2);

    expect(texts((await asOwner.chat.test({ text: "hi", newConversation: true })).response)).toEqual(["Hello from version 1"]);
    // The second live test added what the first did; the sandbox turns added nothing, and the draft was not saved.
    expect(await storedRows(tenantId)).toEqual({ conversations: 2, messages: 2 * before.messages, usage: 2 * before.usage });
    expect((await asOwner.flows.get({ flowId: flow.id })).draft).toEqual(flowSaying("Hello from version 1"));
  });

  it("shows the state path, the intent with its confidence and alternatives, and carries slots to the next turn", async () => {
    const { tenantId, asOwner } = await workspace("Orders Co", "owner@orders.test");
    const definition = orderFlow(store.baseUrl);
    const flow = await asOwner.flows.create({ name: "orders", definition });
    const samples = { lookup: { status: 200, body: { status: "shipped" } } };

    const first = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples, state: null, text: "where is my order" });
    expect(texts(first)).toEqual(["What is your order number?"]);
    expect(path(first)).toEqual(["route (intent_match:order_status)", "ask_order"]);
    expect(first.intent.name).toBe("order_status");
    expect(first.intent.confidence).toBeGreaterThan(0.6);
    expect(first.intent.alternatives).toEqual([{ intent: "refund", confidence: expect.any(Number) }]);
    expect(first.intent.alternatives[0]!.confidence).toBeLessThan(first.intent.confidence);

    // The sample answers the integration state: the store API is not called.
    const second = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples, state: carried(first.state), text: "A12345" });
    expect(texts(second)).toEqual(["Order A12345 is shipped."]);
    expect(path(second)).toEqual(["ask_order (slot_filled)", "lookup (integration_success)", "tell"]);
    expect(second.slots).toEqual({ order_number: "A12345", order_status: "shipped" });
    expect(store.requests).toEqual([]);

    // The order number came with the state: asked again, the bot does not ask for it.
    const third = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples, state: carried(second.state), text: "has my order shipped" });
    expect(texts(third)).toEqual(["Order A12345 is shipped."]);
    expect(path(third)).toEqual(["tell (any_input)", "route (intent_match:order_status)", "ask_order (slot_filled)", "lookup (integration_success)", "tell"]);
    const fresh = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples, state: null, text: "has my order shipped" });
    expect(texts(fresh)).toEqual(["What is your order number?"]);

    // A sample with an error status is the integration failing, as the author wants to see it.
    const failing = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples: { lookup: { status: 503, body: {} } }, state: carried(first.state), text: "A12345" });
    expect(texts(failing)).toEqual(["We could not look up order A12345."]);
    expect(path(failing)).toEqual(["ask_order (slot_filled)", "lookup (integration_error)", "sorry"]);
    expect(store.requests).toEqual([]);

    // Without a sample the endpoint is called for real, through the guarded caller.
    const real = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples: {}, state: carried(first.state), text: "A12345" });
    expect(store.requests).toEqual(["GET /orders/A12345"]);
    expect(texts(real)).toEqual([`Order A12345 is ${lookupOrder("A12345")!.status}.`]);
    expect(await storedRows(tenantId)).toEqual({ conversations: 0, messages: 0, usage: 0 });
  });

  it("calls the endpoint of an integration state named like an Object property when it has no sample", async () => {
    const { asOwner } = await workspace("Proto Co", "owner@proto.test");
    const definition = orderFlow(store.baseUrl);
    const { lookup, ...others } = definition.states;
    definition.states = { ...others, constructor: lookup! };
    definition.states.ask_order!.transitions = [{ condition: "slot_filled", target_state: "constructor" }];
    const flow = await asOwner.flows.create({ name: "orders", definition });
    const first = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples: {}, state: null, text: "where is my order" });
    store.requests.length = 0;

    const real = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples: {}, state: carried(first.state), text: "A12345" });
    expect(path(real)).toEqual(["ask_order (slot_filled)", "constructor (integration_success)", "tell"]);
    expect(store.requests).toEqual(["GET /orders/A12345"]);
  });

  it("refuses a draft with errors, naming them, and never calls an endpoint the operator did not allow", async () => {
    const { asOwner } = await workspace("Guarded Co", "owner@guarded.test");
    const flow = await asOwner.flows.create({ name: "orders", definition: orderFlow(store.baseUrl) });
    const refusal = (definition: FlowDefinitionInput) =>
      asOwner.flows.tryIt({ flowId: flow.id, definition, samples: {}, state: null, text: "where is my order" }).then(
        () => null,
        (e: { code: string; message: string; cause?: { details?: { issues?: { state?: string; code: string; severity: string; message: string }[] } } }) => ({ code: e.code, message: e.message, issues: e.cause?.details?.issues ?? [] }),
      );

    const internalCall = orderFlow(internal.url);
    const blocked = await refusal(internalCall);
    expect(blocked).toMatchObject({ code: "BAD_REQUEST", message: "Fix the errors in this draft before trying it" });
    expect(blocked!.issues.filter((i) => i.severity === "error")).toEqual([expect.objectContaining({ code: "blocked_endpoint", state: "lookup", message: expect.stringContaining("Calls to this endpoint would be refused") })]);
    // Not even with a sample: the same validator guards publishing, so what cannot go live cannot be tried.
    await expect(asOwner.flows.tryIt({ flowId: flow.id, definition: internalCall, samples: { lookup: { status: 200, body: {} } }, state: null, text: "A1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(internal.requests).toEqual([]);

    const dangling = orderFlow(store.baseUrl);
    dangling.states.tell!.transitions = [{ condition: "any_input", target_state: "nowhere" }];
    expect((await refusal(dangling))!.issues.filter((i) => i.severity === "error")).toEqual([expect.objectContaining({ code: "unknown_target", state: "tell" })]);
  });

  it("tells the author why a turn failed where a customer would get the polite fallback, and keeps the state", async () => {
    const { asOwner } = await workspace("Loop Co", "owner@loop.test");
    const loop = (to: string) => ({
      type: "condition" as const,
      config: { conditions: [{ operator: "exists" as const, left: "{input}" }] },
      transitions: [
        { condition: "condition" as const, condition_value: "true", target_state: to },
        { condition: "condition" as const, condition_value: "false", target_state: to },
      ],
    });
    const definition: FlowDefinitionInput = { name: "loop", version: "1", initial_state: "ping", states: { ping: loop("pong"), pong: loop("ping") }, settings: { max_steps: 4 } };
    const flow = await asOwner.flows.create({ name: "loop", definition });

    const failed = await asOwner.flows.tryIt({ flowId: flow.id, definition, samples: {}, state: null, text: "hi" });
    expect(texts(failed)).toEqual([FALLBACK_TEXT]);
    expect(failed.error).toBe("The flow moved through 4 steps without waiting for the customer: ping -> pong -> ping -> pong");
    expect(failed.state).toMatchObject({ current_state: "ping", turn_count: 0 });
  });

  it("is for admins of the flow's own workspace: a member is refused, another workspace's flow is not found", async () => {
    const a = await workspace("Alpha Co", "owner@alpha.test");
    const b = await workspace("Beta Co", "owner@beta.test");
    const member = await workspace("Member's own", "member@alpha.test");
    await flows.db.insert(memberships).values({ tenantId: a.tenantId, userId: member.ownerId, role: "member" });
    const asMember = flows.as(member.ownerId, a.tenantId);
    const alphaFlow = await a.asOwner.flows.create({ name: "support", definition: flowSaying("Alpha") });
    const betaFlow = await b.asOwner.flows.create({ name: "support", definition: flowSaying("Beta's secret greeting") });
    const turn = (flowId: string) => ({ flowId, definition: flowSaying("Hijacked"), samples: {}, state: null, text: "hi" });

    await expect(asMember.flows.tryIt(turn(alphaFlow.id))).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(a.asOwner.flows.tryIt(turn(betaFlow.id))).rejects.toMatchObject({ code: "NOT_FOUND", message: "Flow not found." });
    expect(texts(await a.asOwner.flows.tryIt(turn(alphaFlow.id)))).toEqual(["Hijacked"]);
  });
});
