import { describe, expect, it } from "vitest";
import { demoFlow } from "@/server/flows/demo-flow";
import type { IntegrationCaller, IntegrationRequest, LlmGenerator } from "@/server/flows/ports";
import { converse, texts } from "./flow-fixtures";

const CATALOG = [
  { name: "CodeStation Air 13", price: 799, sku: "csa-13", image_url: "https://cdn.acme.example/csa.jpg" },
  { name: "DevBook Pro 14", price: 949, sku: "dbp-14" },
];

/** Stands in for the SSRF-guarded fetch: a catalog search and an order lookup. */
function fakeStore(calls: IntegrationRequest[] = []): IntegrationCaller {
  return {
    async call(req) {
      calls.push(req);
      if (req.integration_id === "catalog") return { ok: true, status: 200, data: { items: CATALOG, count: CATALOG.length } };
      if (req.endpoint.endsWith("/orders/ORD123456")) {
        return { ok: true, status: 200, data: { status: "out for delivery", estimated_delivery: "2026-03-12" } };
      }
      return { ok: false, error: "HTTP 404" };
    },
  };
}
const storeDown: IntegrationCaller = { call: async () => ({ ok: false, error: "connect ECONNREFUSED" }) };

describe("demo flow: product search journey", () => {
  it("greets, detects the product, fills budget and use case, then shows a carousel from the catalog", async () => {
    const calls: IntegrationRequest[] = [];
    const chat = converse(demoFlow, { integrations: fakeStore(calls) });

    const hello = await chat.say("Hello");
    expect(hello.state.current_intent).toBe("greeting");
    expect(texts(hello)[0]).toMatch(/^Hello! Welcome to Acme Store/);

    const laptop = await chat.say("I'm looking for a laptop");
    expect(laptop.state.current_intent).toBe("product_search");
    expect(laptop.state.entities).toMatchObject({ product: "laptop" });
    expect(texts(laptop)).toEqual(["What's your budget for the laptop?"]);

    const specs = await chat.say("Under $1000, for programming");
    expect(specs.state.slots).toMatchObject({ product: "laptop", budget: 1000, use_case: "programming" });
    expect(texts(specs)).toEqual(["Got it: laptop for programming, up to $1000. Shall I show you some options?"]);

    const options = await chat.say("Show me some options");
    expect(options.intent.name).toBe("show_results");
    expect(calls.at(-1)).toMatchObject({
      integration_id: "catalog",
      method: "GET",
      body: { category: "laptop", max_price: 1000, use_case: "programming" },
    });
    expect(options.messages).toEqual([
      {
        type: "carousel",
        text: "Here are some laptop picks for programming under $1000:",
        items: [
          { title: "CodeStation Air 13", subtitle: "$799", image_url: "https://cdn.acme.example/csa.jpg", payload: "csa-13" },
          { title: "DevBook Pro 14", subtitle: "$949", payload: "dbp-14" },
        ],
      },
    ]);
  });

  it("still answers helpfully, with what it knows, when the catalog cannot be reached", async () => {
    const chat = converse(demoFlow, { integrations: storeDown });
    for (const text of ["Hello", "I'm looking for a laptop", "Under $1000, for programming"]) await chat.say(text);
    const options = await chat.say("Show me some options");
    expect(options.state.current_state).toBe("catalog_unavailable");
    expect(texts(options)[0]).toContain("find the right laptop for programming under $1000");
  });

  it("asks for the product first when the search starts from a price", async () => {
    const chat = converse(demoFlow);
    const result = await chat.say("Under $500");
    expect(result.state.current_intent).toBe("price_filter");
    expect(result.state.slots.budget).toBe(500);
    expect(texts(result)[0]).toMatch(/^What kind of product/);
  });
});

describe("demo flow: order journeys", () => {
  it("asks for the order number, keeps it, and answers with the order's status", async () => {
    const chat = converse(demoFlow, { integrations: fakeStore() });
    const help = await chat.say("I need help with my order");
    expect(["order_inquiry", "order_issue"]).toContain(help.state.current_intent);
    expect(texts(help)).toEqual(["What's your order number? It starts with ORD, like ORD123456."]);

    const status = await chat.say("Order number ORD123456");
    expect(status.state.slots.order_number).toBe("ORD123456");
    expect(texts(status)).toEqual(["Order ORD123456 is currently out for delivery. Anything else I can help with?"]);
  });

  it("answers an order problem with an apology and the offer of a person", async () => {
    const chat = converse(demoFlow, { integrations: fakeStore() });
    await chat.say("My order arrived damaged");
    const result = await chat.say("it's ORD123456");
    expect(texts(result)[0]).toMatch(/^I'm sorry about the trouble with order ORD123456/);
  });

  it("re-asks for an order number it cannot read, then gives up politely after three tries", async () => {
    const chat = converse(demoFlow, { integrations: fakeStore() });
    await chat.say("track my order");
    expect(texts(await chat.say("no idea"))[0]).toMatch(/^Hmm, that doesn't look like an order number/);
    await chat.say("dunno");
    const result = await chat.say("what?");
    expect(texts(result)[0]).toBe("I still couldn't find an order number there.");
    expect(texts(result)[1]).toMatch(/I can help you find a product/);
  });

  it("does not look up an order number that fails validation, even when it came with the intent", async () => {
    const calls: IntegrationRequest[] = [];
    const chat = converse(demoFlow, { integrations: fakeStore(calls) });
    const short = await chat.say("My order #1234 never arrived");
    expect(calls).toEqual([]);
    expect(short.state.slots.order_number).toBeUndefined();
    expect(texts(short)).toEqual(["Hmm, that doesn't look like an order number. What's your order number? It starts with ORD, like ORD123456."]);
    const fixed = await chat.say("Sorry, it is ORD123456");
    expect(fixed.state.slots.order_number).toBe("ORD123456");
    expect(calls.map((c) => c.endpoint)).toEqual(["https://api.acme.example/orders/ORD123456"]);
  });

  it("tells the customer when the order system is down", async () => {
    const chat = converse(demoFlow, { integrations: storeDown });
    await chat.say("where is my order?");
    expect(texts(await chat.say("ORD123456"))[0]).toMatch(/^I can't reach our order system right now/);
  });
});

describe("demo flow: a saved conversation resumes after a restart", () => {
  it("continues a pizza order from state that went through JSON", async () => {
    const chat = converse(demoFlow);
    const first = await chat.say("I want to order a pizza");
    expect(first.state.slots.menu_item).toBe("pizza");
    expect(texts(first)).toEqual(["What size would you like your pizza: small, medium or large?"]);

    const second = await chat.say("Large pepperoni please");
    expect(second.state.slots).toMatchObject({ menu_item: "pizza", size: "large", topping: "pepperoni" });
    expect(texts(second)[0]).toMatch(/^Great choice! One large pepperoni pizza/);
  });
});

describe("demo flow: hours, handoff, general questions and nonsense", () => {
  it("answers opening hours and then hands off to a person", async () => {
    const chat = converse(demoFlow);
    const hours = await chat.say("What are your opening hours?");
    expect(hours.state.current_intent).toBe("business_hours");
    expect(texts(hours)[0]).toMatch(/^We're open Monday to Friday/);

    const human = await chat.say("I want to talk to a human");
    expect(human.escalated).toBe(true);
    expect(human.messages).toEqual([
      { type: "handoff", text: "I'm connecting you with a member of our support team. They'll reply right here shortly.", queue: "support" },
    ]);
  });

  it("re-offers help, never an empty reply, for something unintelligible", async () => {
    for (const text of ["asdfgh qwerty zxcv", "blorp"]) {
      const result = await converse(demoFlow).say(text);
      expect(result.state.current_state).toBe("not_understood");
      expect(texts(result)[0]).toMatch(/^Sorry, I didn't quite catch that/);
      expect(result.messages[0]).toMatchObject({ quick_replies: ["Find a product", "Track my order", "Opening hours", "Talk to a human"] });
    }
  });

  it("answers a general question from the fallback template without a model", async () => {
    const result = await converse(demoFlow).say("do you offer a warranty on laptops?");
    expect(result.state.current_state).toBe("general_answer");
    expect(texts(result)[0]).toMatch(/^Good question!/);
    expect(result.model_used).toBeNull();
  });

  it("answers a general question with the model when one is injected", async () => {
    const llm: LlmGenerator = {
      generate: async (req) => ({ text: `Yes: ${req.prompt.replace("Customer question: ", "")} -> 2 years.`, model: "acme-small" }),
    };
    const result = await converse(demoFlow, { llm }).say("do you offer a warranty?");
    expect(texts(result)).toEqual(["Yes: do you offer a warranty? -> 2 years."]);
    expect(result.model_used).toBe("acme-small");
  });

  it("welcomes a returning visitor back when they greet again", async () => {
    const chat = converse(demoFlow);
    await chat.say("What are your opening hours?");
    expect(texts(await chat.say("hi there"))[0]).toBe("Welcome back! What can I help you with today?");
  });
});
