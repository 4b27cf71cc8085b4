import { describe, expect, it } from "vitest";
import { converse, defineFlow, texts } from "./flow-fixtures";

const flow = defineFlow({
  name: "signup",
  version: "1",
  initial_state: "collect",
  entities: { lists: { plans: ["basic", "pro"] } },
  states: {
    collect: {
      type: "slot_filling",
      config: {
        required_slots: ["email", "plan", "seats"],
        optional_slots: ["phone"],
        prompts: { email: "What's your email?", plan: "Basic or pro?", seats: "How many seats?" },
        validation: {
          email: { type: "email", error_message: "That email doesn't look right." },
          plan: { type: "enum", list: "plans" },
          seats: { type: "number", min: 1, max: 50 },
        },
        max_retries: 3,
        on_max_retries: "Let's get you some help instead.",
      },
      transitions: [
        { condition: "slot_filled", target_state: "done" },
        { condition: "fallback", target_state: "help", priority: 999 },
      ],
    },
    done: {
      type: "response",
      config: { response_templates: { default: "Signed up {email} on {plan} with {seats} seats." } },
      transitions: [],
    },
    help: { type: "handoff", config: { message: "Connecting you to sales." }, transitions: [] },
  },
});

describe("slot_filling state", () => {
  it("asks for the first missing required slot on entry", async () => {
    const result = await converse(flow).say("I'd like to sign up");
    expect(texts(result)).toEqual(["What's your email?"]);
    expect(result.state.missing_required_slots).toEqual(["email", "plan", "seats"]);
  });

  it("fills several slots at once from the entities of one message, including optional ones", async () => {
    const result = await converse(flow).say("sign me up for pro, I'm jo@example.com, phone +1 555 010 9999");
    expect(result.state.slots).toMatchObject({ email: "jo@example.com", plan: "pro", phone: "+15550109999" });
    expect(result.state.missing_required_slots).toEqual(["seats"]);
    expect(result.messages).toEqual([{ type: "text", text: "How many seats?" }]);
  });

  it("validates a raw reply against the prompted slot's type", async () => {
    const chat = converse(flow);
    await chat.say("jo@example.com");
    const plan = await chat.say("Pro please");
    expect(plan.state.slots.plan).toBe("pro");
    const seats = await chat.say("12");
    expect(seats.state.slots.seats).toBe(12);
    expect(texts(seats)).toEqual(["Signed up jo@example.com on pro with 12 seats."]);
    expect(seats.trace.at(0)).toEqual({ state: "collect", type: "slot_filling", transition: "slot_filled" });
  });

  it("offers an enum's values as quick replies when prompting", async () => {
    const chat = converse(flow);
    const result = await chat.say("jo@example.com");
    expect(result.messages).toEqual([{ type: "text", text: "Basic or pro?", quick_replies: ["basic", "pro"] }]);
  });

  it("re-prompts with the validation error on an invalid reply and counts the retry", async () => {
    const chat = converse(flow);
    await chat.say("hello");
    const result = await chat.say("not an email");
    expect(texts(result)).toEqual(["That email doesn't look right. What's your email?"]);
    expect(result.state.retries).toEqual({ "collect.email": 1 });
    expect(result.state.current_state).toBe("collect");
  });

  it("re-prompts with a range error for an out-of-range number", async () => {
    const chat = converse(flow);
    await chat.say("jo@example.com, pro");
    expect(texts(await chat.say("500"))).toEqual(["Please give a value of at most 50. How many seats?"]);
  });

  it("follows the fallback transition after max_retries invalid replies", async () => {
    const chat = converse(flow);
    await chat.say("hi");
    await chat.say("nope");
    await chat.say("still no");
    const result = await chat.say("never");
    expect(result.messages).toEqual([
      { type: "text", text: "Let's get you some help instead." },
      { type: "handoff", text: "Connecting you to sales." },
    ]);
    expect(result.state.retries).toEqual({});
    expect(result.escalated).toBe(true);
  });

  it("resets the retry count once the slot is filled", async () => {
    const chat = converse(flow);
    await chat.say("hi");
    await chat.say("nope");
    const filled = await chat.say("jo@example.com");
    expect(filled.state.retries).toEqual({});
  });

  it("does not prompt for a slot an earlier state already filled", async () => {
    const withRouter = defineFlow({
      ...flow,
      initial_state: "router",
      intents: { signup: { examples: ["sign me up"] } },
      states: {
        ...flow.states,
        router: {
          type: "intent",
          config: { intent_patterns: ["signup"] },
          transitions: [{ condition: "fallback", target_state: "collect" }],
        },
      },
    });
    const result = await converse(withRouter).say("sign me up, jo@example.com");
    expect(result.state.slots.email).toBe("jo@example.com");
    expect(texts(result)).toEqual(["Basic or pro?"]);
  });

  it("branches early on slot_filled naming a specific slot", async () => {
    const early = defineFlow({
      ...flow,
      states: {
        ...flow.states,
        collect: {
          ...flow.states.collect!,
          transitions: [{ condition: "slot_filled", condition_value: "phone", target_state: "callback" }, ...flow.states.collect!.transitions],
        },
        callback: { type: "response", config: { response_templates: { default: "We'll call {phone}." } }, transitions: [] },
      },
    });
    expect(texts(await converse(early).say("just call me on 555-010-9999"))).toEqual(["We'll call 5550109999."]);
  });
});
