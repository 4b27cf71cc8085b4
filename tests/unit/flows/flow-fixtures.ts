import type { ConversationState, TurnResult } from "@/server/flows/engine";
import { runTurn } from "@/server/flows/engine";
import { flowDefinitionSchema, type FlowDefinition, type FlowDefinitionInput } from "@/server/flows/flow-schema";
import type { IntegrationCaller, LlmGenerator } from "@/server/flows/ports";
import { buildFlowNlu } from "@/server/pipeline/flow-nlu";

// Tuesday 10 March 2026, midday UTC.
export const NOW = new Date("2026-03-10T12:00:00Z");

export function defineFlow(input: FlowDefinitionInput): FlowDefinition {
  return flowDefinitionSchema.parse(input);
}

export type Conversation = {
  say(text: string): Promise<TurnResult>;
  send(input: Parameters<typeof runTurn>[0]["input"]): Promise<TurnResult>;
  readonly state: ConversationState | null;
};

/**
 * Drives a flow turn by turn with the real NLU. The state goes through JSON between turns,
 * as it does through the database.
 */
export function converse(
  flow: FlowDefinition,
  deps: { integrations?: IntegrationCaller; llm?: LlmGenerator; context?: { user_name?: string; returning_user?: boolean }; maxSteps?: number } = {},
): Conversation {
  const nlu = buildFlowNlu(flow);
  let state: ConversationState | null = null;
  const send: Conversation["send"] = async (input) => {
    const result = await runTurn({ flow, nlu, state, input, now: NOW, ...deps });
    state = JSON.parse(JSON.stringify(result.state)) as ConversationState;
    return result;
  };
  return {
    send,
    say: (text) => send({ type: "text", text }),
    get state() {
      return state;
    },
  };
}

export function texts(result: TurnResult): string[] {
  return result.messages.map((m) => m.text);
}
