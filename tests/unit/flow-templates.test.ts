import { describe, expect, it } from "vitest";
import { listTemplates, templateDefinition, type TemplateId } from "@/server/flow-store/templates";
import type { IntegrationCaller, IntegrationRequest, LlmGenerator, LlmRequest } from "@/server/flows/ports";
import { validateFlow } from "@/server/flows/validate-flow";
import { converse, texts } from "./flows/flow-fixtures";

/** The template's flow as publishing would store it: validated with zero errors and zero warnings. */
function published(id: TemplateId | undefined) {
  const check = validateFlow(templateDefinition(id));
  expect(check.ok ? check.warnings : check.issues).toEqual([]);
  if (!check.ok) throw new Error("unreachable: the template has errors");
  return check.flow;
}

/** Stands in for the SSRF-guarded fetch, answering each call with `answer` and recording it. */
function fakeIntegration(answer: (req: IntegrationRequest) => Awaited<ReturnType<IntegrationCaller["call"]>>) {
  const calls: IntegrationRequest[] = [];
  const caller: IntegrationCaller = { call: async (req) => (calls.push(req), answer(req)) };
  return { calls, caller };
}

describe("flow templates", () => {
  it("lists the four templates with a description each; without one, a flow starts as a single greeting", async () => {
    expect(listTemplates().map((t) => [t.id, t.name])).toEqual([
      ["customer_support", "Customer support"],
      ["lead_capture", "Lead capture"],
      ["faq", "FAQ with AI fallback"],
      ["human_handoff", "Human handoff"],
    ]);
    for (const t of listTemplates()) expect(t.description.length, t.id).toBeGreaterThan(20);
    const blank = published(undefined);
    expect(Object.keys(blank.states)).toEqual(["greeting"]);
    expect(texts(await converse(blank).say("Hi"))).toEqual(["Hello! How can I help you today?"]);
  });

  it("hands out copies: editing one flow's definition leaves the template as it was", () => {
    const copy = templateDefinition("faq");
    copy.states = {};
    expect(Object.keys(templateDefinition("faq").states)).toContain("ask_ai");
  });

  it("gives every intent at least five examples", () => {
    for (const t of listTemplates()) {
      for (const [intent, { examples = [] }] of Object.entries(templateDefinition(t.id).intents ?? {})) expect(examples.length, `${t.id}: ${intent}`).toBeGreaterThanOrEqual(5);
    }
  });

  it("customer support answers an order's status from the order system and passes the visitor to a person on request", async () => {
    const orders = fakeIntegration((req) =>
      req.endpoint === "https://api.example.com/orders/ORD12345" ? { ok: true, status: 200, data: { status: "out for delivery", estimated_delivery: "Friday" } } : { ok: false, error: "HTTP 404" },
    );
    const chat = converse(published("customer_support"), { integrations: orders.caller });

    expect(texts(await chat.say("Hi"))).toEqual(["Hi! I'm the support assistant. I can check the status of an order or put you through to a person. What can I do for you?"]);
    expect(texts(await chat.say("Where is my order?"))).toEqual(["What's your order number? You'll find it in your confirmation email, e.g. ORD12345."]);
    const status = await chat.say("ORD12345");
    expect(texts(status)).toEqual(["Order ORD12345 is out for delivery, estimated delivery Friday. Anything else I can help with?"]);
    expect(orders.calls.map((c) => [c.method, c.endpoint])).toEqual([["GET", "https://api.example.com/orders/ORD12345"]]);
    expect(status.trace.map((s) => s.state)).toEqual(["collect_order_number", "order_lookup", "order_status_answer"]);

    expect(texts(await chat.say("check my order status, it's ORD99999"))).toEqual([
      "I can't reach our order system right now, so I can't check order ORD99999. Please try again later, or I can put you through to a person.",
    ]);
    expect(texts(await chat.say("what's the weather like?"))).toEqual(["Sorry, I didn't catch that. I can check the status of an order or put you through to a person."]);
    const person = await chat.say("talk to a person");
    expect(texts(person)).toEqual(["I'm putting you through to a member of our team. They'll answer right here."]);
    expect(person.escalated).toBe(true);
  });

  it("lead capture asks for name, email, phone and budget, posts them to the webhook and confirms", async () => {
    const hook = fakeIntegration(() => ({ ok: true, status: 201, data: { id: "lead-1" } }));
    const chat = converse(published("lead_capture"), { integrations: hook.caller });

    expect(texts(await chat.say("Hello"))).toEqual(["Hi! Leave your details and our sales team will get back to you within one working day.", "What's your name?"]);
    expect(texts(await chat.say("Jane Doe"))).toEqual(["Thanks, Jane Doe. What's your email address?"]);
    expect(texts(await chat.say("it's not an address"))).toEqual(["That doesn't look like an email address. Thanks, Jane Doe. What's your email address?"]);
    expect(texts(await chat.say("jane@example.com"))).toEqual(["And a phone number we can reach you on?"]);
    expect(texts(await chat.say("+1 555 010 0199"))).toEqual(["Last one: roughly what budget do you have in mind?"]);
    const done = await chat.say("about $5,000");
    expect(texts(done)).toEqual(["Thanks, Jane Doe! We'll contact you at jane@example.com or +15550100199 about your $5000 project within one working day."]);
    expect(hook.calls).toEqual([
      expect.objectContaining({
        method: "POST",
        endpoint: "https://hooks.example.com/leads",
        body: { name: "Jane Doe", email: "jane@example.com", phone: "+15550100199", budget: 5000, source: "chatbot" },
      }),
    ]);
    expect(done.state.status).toBe("ended");
  });

  it("faq answers known questions itself and hands anything else to the AI model, with a fixed reply when the model fails", async () => {
    const prompts: LlmRequest[] = [];
    const llm: LlmGenerator = { generate: async (req) => (prompts.push(req), { text: "Yes, we sponsor the Riverside Rovers.", model: "fake-model" }) };
    const chat = converse(published("faq"), { llm });

    expect(texts(await chat.say("Hi"))).toEqual(["Hi! Ask me anything about opening hours, shipping, returns or payment."]);
    expect(texts(await chat.say("when are you open on saturday?"))).toEqual(["We're open Monday to Friday, 9am to 6pm, and Saturday 10am to 4pm. Anything else?"]);
    expect(texts(await chat.say("can I pay with paypal?"))).toEqual(["We accept credit and debit cards, PayPal and bank transfer. Anything else?"]);
    expect(prompts).toEqual([]);
    const other = await chat.say("Do you sponsor local football teams?");
    expect(texts(other)).toEqual(["Yes, we sponsor the Riverside Rovers."]);
    expect(other.trace.map((s) => s.state)).toEqual(["answer_payment_methods", "router", "ask_ai"]);
    expect(prompts.map((p) => p.prompt)).toEqual(["Customer question: Do you sponsor local football teams?"]);

    const down: LlmGenerator = { generate: async () => Promise.reject(new Error("provider down")) };
    const unlucky = converse(published("faq"), { llm: down });
    await unlucky.say("Hi");
    expect(texts(await unlucky.say("Do you sponsor local football teams?"))).toEqual(["I'm not sure about that one. Please email support@example.com and our team will help."]);
  });

  it("human handoff greets, passes the visitor to a person when asked, and answers with the waiting message meanwhile", async () => {
    const chat = converse(published("human_handoff"));
    expect(texts(await chat.say("Hello"))).toEqual(['Hi! Our team is here to help. Say "talk to a person" whenever you\'d like to chat with one of us.']);
    expect(texts(await chat.say("what's your favourite colour?"))).toEqual(["I'm only a simple assistant. Shall I put you through to a person?"]);
    const asked = await chat.say("I want to speak to a human");
    expect(texts(asked)).toEqual(["I'm putting you through to a member of our team. They'll answer right here."]);
    expect(asked.state.status).toBe("escalated");
    expect(texts(await chat.say("hello?"))).toEqual(["Thanks for waiting: a member of our team will be with you shortly."]);
  });
});
