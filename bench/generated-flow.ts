import type { FlowDefinitionInput } from "@/server/flows/flow-schema";

const INTENTS = ["order_status", "returns", "shipping", "billing", "product_info", "store_hours", "warranty", "complaint", "gift_cards", "account"];

/**
 * A valid flow of `states` states with two transitions per state on average: intent routers (three
 * transitions: two intents and a fallback) alternate with responses (one `any_input`), all reachable.
 * The size the flow editor's speed targets are stated for (300 states, 600 transitions).
 */
export function generateFlow(states = 300): FlowDefinitionInput {
  const name = (i: number) => `step_${String(i % states).padStart(3, "0")}`;
  const definition: FlowDefinitionInput = {
    name: `Generated ${states}`,
    version: "1.0.0",
    initial_state: name(0),
    intents: Object.fromEntries(INTENTS.map((intent) => [intent, { examples: [1, 2, 3, 4, 5].map((n) => `${intent.replace("_", " ")} question ${n}`) }])),
    states: {},
  };
  for (let i = 0; i < states; i++) {
    definition.states[name(i)] =
      i % 2 === 0
        ? {
            type: "intent",
            config: { intent_patterns: [INTENTS[i % INTENTS.length]!, INTENTS[(i + 3) % INTENTS.length]!] },
            transitions: [
              { condition: "intent_match", condition_value: INTENTS[i % INTENTS.length]!, target_state: name(i + 1), priority: 10 },
              { condition: "intent_match", condition_value: INTENTS[(i + 3) % INTENTS.length]!, target_state: name(i + 7), priority: 20 },
              { condition: "fallback", target_state: name(i + 1), priority: 30 },
            ],
          }
        : {
            type: "response",
            config: { response_templates: { default: `Answer number ${i}: here is what you asked about.` } },
            transitions: [{ condition: "any_input", target_state: name(i + 1), priority: 10 }],
          };
  }
  return definition;
}
