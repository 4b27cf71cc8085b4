/** Weighted multi-turn conversation scripts, each run by one virtual end user. */
export type Turn = { text: string; /** Substring the bot's reply text must contain (sanity check, not an error). */ expect?: string; expectType?: "text" | "carousel" | "handoff" };
export type Scenario = { name: string; weight: number; turns: (rand: () => number) => Turn[] };

/** The multi-turn mix: returning conversations, integrations, a handoff. */
export const MULTI_TURN: Scenario[] = [
  {
    name: "simple_qa",
    weight: 60,
    turns: (rand) => [
      { text: pick(rand, ["Hello", "Hi there", "Good morning", "Hey"]), expect: "Acme Store" },
      { text: pick(rand, ["What are your opening hours?", "When are you open?", "What time do you close?"]), expect: "Monday to Friday" },
    ],
  },
  {
    name: "product_search",
    weight: 25,
    turns: () => [
      { text: "I'm looking for a laptop", expect: "budget" },
      { text: "Under $1000, for programming", expect: "Shall I show you some options?" },
      // Runs the catalog integration against the bench's local fake catalog.
      { text: "Show me some options", expectType: "carousel" },
    ],
  },
  {
    name: "support_escalation",
    weight: 15,
    turns: (rand) => {
      const order = `ORD${100000 + Math.floor(rand() * 900000)}`;
      return [
        { text: "I need help with my order", expect: "order number" },
        // Runs the order-lookup integration against the local fake catalog.
        { text: `Order number ${order}`, expect: `Order ${order} is currently` },
        { text: "I want to talk to a human", expectType: "handoff" },
      ];
    },
  },
];

/** A new end user on every request: each conversation is one first message (what the bare ceiling writes). */
export const FIRST_MESSAGE: Scenario[] = [
  { name: "first_message", weight: 1, turns: (rand) => [{ text: pick(rand, ["Hello", "Hi there", "Good morning", "Hey"]), expect: "Acme Store" }] },
];

export const mixLabel = (scenarios: Scenario[]) => scenarios.map((s) => `${s.name} ${Math.round((100 * s.weight) / scenarios.reduce((n, x) => n + x.weight, 0))}%`).join(" / ");

function pick<T>(rand: () => number, items: T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickScenario(scenarios: Scenario[], rand: () => number): Scenario {
  const total = scenarios.reduce((s, x) => s + x.weight, 0);
  let r = rand() * total;
  for (const s of scenarios) {
    r -= s.weight;
    if (r < 0) return s;
  }
  return scenarios[scenarios.length - 1]!;
}
