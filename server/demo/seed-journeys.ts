import type { Random } from "./seed-random";

/*
 * What the demo's visitors say, turn by turn, written to match the demo flow's intents (server/flows/demo-flow.json).
 * Each turn lists ways of saying the same thing; a function turn makes up a value (an order number).
 */
type Turn = readonly string[] | ((random: Random) => string);
export type Journey = { name: string; weight: number; turns: readonly Turn[]; optional?: readonly Turn[] };

const orderNumber = (random: Random) => `ORD${random.int(100000, 999999)}`;
const GREETINGS = ["Hello", "Hi there", "Good morning", "hey", "Hi", "Good evening", "hello, how are you"];
const THANKS = ["thanks", "thank you", "Great, thank you!", "cheers", "perfect, thanks", "ok thanks, bye"];
const ASK_FOR_PERSON = ["I want to talk to a human", "can I speak with a real person", "connect me to an agent", "live agent please", "I want to speak to someone", "get me a representative"];

/** Conversations the bot handles on its own (some of them badly: the not-understood ones). */
export const BOT_JOURNEYS: readonly Journey[] = [
  {
    name: "opening hours",
    weight: 14,
    turns: [GREETINGS, ["What are your opening hours?", "when are you open on saturday?", "are you open today?", "what time do you close", "opening times please"]],
    optional: [THANKS],
  },
  {
    name: "product search",
    weight: 18,
    turns: [
      ["I'm looking for a laptop", "do you sell headphones?", "I need a new laptop", "what laptops do you have", "I want to buy headphones", "can you recommend a monitor"],
      ["under $1000", "my budget is 800 dollars", "less than 400", "around $350", "I can spend up to $1500"],
      ["for programming", "mostly for travel", "gaming", "design work", "office work"],
      ["show me some options", "yes, show me", "what do you recommend"],
    ],
    optional: [THANKS],
  },
  {
    name: "order status",
    weight: 16,
    turns: [["where is my order", "track my order", "I have a question about my order", "order status please", "when will my order arrive"], (r) => r.pick([orderNumber(r), `it's ${orderNumber(r)}`, `order number ${orderNumber(r)}`])],
    optional: [THANKS],
  },
  {
    name: "food order",
    weight: 7,
    turns: [["I want to order a pizza", "can I get a burger", "I'd like to order food", "one pizza please"], ["large please", "medium", "small one", "a large pepperoni"]],
    optional: [THANKS],
  },
  {
    name: "general question",
    weight: 14,
    turns: [["do you ship internationally?", "what is your return policy?", "do you offer a warranty?", "what payment methods do you accept?", "how long does shipping take?", "can I pick up in store?"]],
    optional: [THANKS],
  },
  {
    name: "greeting only",
    weight: 8,
    turns: [GREETINGS],
    optional: [["What can you do?", "just looking, thanks"]],
  },
  {
    name: "not understood",
    weight: 9,
    turns: [["asdfgh qwerty", "blorp", "can u do the thing", "is it raining in Berlin?", "what's the wifi password", "🙂🙂"], ["sorry, I meant your opening hours", "when are you open", "I'm looking for a phone", "nvm"]],
  },
  {
    name: "support menu",
    weight: 6,
    turns: [["I need help", "I have a problem", "I'm having trouble", "can someone assist me"], ["it's about my order", "something with a product", "never mind"]],
  },
];

/** Conversations that reach a person: the handoff state through the human_escalation intent. */
export const HANDOFF_JOURNEYS: readonly Journey[] = [
  { name: "asks for a person", weight: 1, turns: [GREETINGS, ASK_FOR_PERSON] },
  { name: "asks for a person at once", weight: 1, turns: [ASK_FOR_PERSON] },
  { name: "damaged order", weight: 1, turns: [["my package arrived damaged", "I received the wrong item", "my order never arrived", "the item is broken"], orderNumber, ["Talk to a human"]] },
];

/** What agents and visitors say once a person has the conversation; `{name}` is the visitor, `{agent}` the agent. */
export const AGENT_OPENERS = [
  "Hi {name}, this is {agent} from Acme Store. Sorry for the wait! How can I help?",
  "Hello {name}! {agent} here. I've read your messages; let me look into it.",
  "Hi {name}, {agent} from the support team here. What can I do for you?",
];
export const VISITOR_TO_AGENT = [
  "My order arrived with a cracked screen. Can I get a replacement?",
  "I'd like to change the delivery address on my order",
  "I was charged twice for the same order",
  "Can I return the headphones? They don't fit",
  "The tracking page hasn't updated in a week",
];
export const AGENT_ANSWERS = [
  "I'm sorry about that. I've arranged a replacement; it ships tomorrow and you'll get a tracking link by email.",
  "Done: the new address is on the order, and the courier has it too.",
  "You're right, I can see the double charge. I've refunded it; it shows on your statement in 3-5 business days.",
  "Of course. I've emailed you a prepaid return label; the refund follows once the parcel reaches us.",
  "I've asked the courier; the parcel is at the local depot and goes out for delivery today.",
];
export const THANKS_AFTER_AGENT = ["Great, thank you!", "thanks a lot", "perfect, thanks", "thank you so much"];
export const AGENT_HANDBACK = "Glad that's sorted! I'll hand you back to our assistant for anything else.";
export const AGENT_NOTES = ["Repeat customer; offered free express shipping as an apology.", "Refund approved by the shift lead.", "Checked with the warehouse: stock is fine."];
export const NAMES = ["Sam", "Alex", "Priya", "Jordan", "Mei", "Lukas", "Sofia", "Noah", "Emma", "Omar", "Lena", "Mateo", "Chloe", "Jonas", "Aisha", "Ben"];

/** Answers for the demo's LLM state, so a seeded install has model spend to chart without calling any provider. */
export const LLM_ANSWERS: readonly { match: RegExp; answer: string }[] = [
  { match: /ship|internation/i, answer: "We ship to over 30 countries. Standard delivery takes 3-7 business days, express 1-2 days." },
  { match: /return|refund/i, answer: "You can return anything within 30 days of delivery, unused and in its box. Refunds reach your card within 5 days." },
  { match: /warranty/i, answer: "Every product comes with a 2-year warranty, and we handle the claim with the maker for you." },
  { match: /pay/i, answer: "We accept Visa, Mastercard, American Express, PayPal and Apple Pay." },
  { match: /pick ?up|store/i, answer: "Yes: choose \"pick up in store\" at checkout and collect your order from our shop after 2 hours." },
];
export const LLM_DEFAULT_ANSWER = "Happy to help! Our team can tell you more if you say \"talk to a human\".";

export function pickWeighted(random: Random, journeys: readonly Journey[]): Journey {
  const total = journeys.reduce((sum, j) => sum + j.weight, 0);
  let at = random.next() * total;
  for (const journey of journeys) {
    at -= journey.weight;
    if (at < 0) return journey;
  }
  return journeys[journeys.length - 1]!;
}

/** The visitor's messages for one run of the journey. */
export function scriptOf(random: Random, journey: Journey): string[] {
  const say = (turn: Turn) => (typeof turn === "function" ? turn(random) : random.pick(turn));
  const optional = (journey.optional ?? []).filter(() => random.chance(0.5));
  return [...journey.turns, ...optional].map(say);
}

export const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
