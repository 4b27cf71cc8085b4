import { runTurn, type ConversationState, type IntegrationCaller, type LlmGenerator, type TurnResult } from "../flows/engine";
import type { FlowDefinition } from "../flows/flow-schema";
import { inputText } from "../flows/user-input";
import type { Nlu } from "../nlu/nlu";
import { FALLBACK_TEXT } from "../pipeline/process-message";
import { intentMetrics, type IntentMetric, type IntentPair } from "./intent-metrics";
import type { ExpectedTurn, TestCaseTurn } from "./test-case-schema";
import { diffTurn, firstDifference, turnPassed, type TurnDiff } from "./turn-diff";

/** A flow version ready to run: its definition and its trained NLU (build once per suite). */
export type ReplayFlow = { flow: FlowDefinition; nlu: Nlu };

export type ReplayResult = { passed: boolean; first_difference: string | null; turns: TurnDiff[]; intents: IntentPair[] };

/**
 * Integration responses are not stored with a conversation, so a replay calls nothing: every integration
 * state takes its error path, the same on every run, and never reaches a tenant's API from a test.
 */
export const NO_INTEGRATIONS: IntegrationCaller = { call: async () => ({ ok: false, error: "A replay calls no integrations" }) };

/** The turn's recorded model answers, one per llm call in order; never a provider. `missing` learns of a call beyond them. */
export function recordedModel(answers: (string | null)[], missing: () => void): LlmGenerator {
  let next = 0;
  return {
    async generate() {
      if (next >= answers.length) {
        missing();
        throw new Error("No recorded model answer");
      }
      const answer = answers[next++];
      // No model answered then: the state's fallback template answered, as it will now.
      if (answer === null || answer === undefined) throw new Error("No model answered in the recorded turn");
      return { text: answer, model: "recorded" };
    },
  };
}

/** The part of a turn's result a test case compares, as plain JSON (what storing it would keep). */
const observed = (turn: Pick<TurnResult, "messages" | "state" | "intent">): ExpectedTurn =>
  JSON.parse(JSON.stringify({ replies: turn.messages.map((m) => m.text), state: turn.state.current_state, intent: turn.intent.name, slots: turn.state.slots }));

type TurnRun = { result: ExpectedTurn; state: ConversationState | null; notes: string[] };

/** As in production, a turn that throws answers with FALLBACK_TEXT and leaves the conversation where it was. */
async function replayTurn(target: ReplayFlow, state: ConversationState | null, turn: TestCaseTurn, index: number, model: (answers: (string | null)[], missing: () => void) => LlmGenerator): Promise<TurnRun> {
  const notes: string[] = [];
  const llm = model(turn.model_answers, () => notes.push(`no recorded model answer for turn ${index + 1}`));
  try {
    const result = await runTurn({
      flow: target.flow,
      nlu: target.nlu,
      state,
      input: turn.input,
      context: turn.user_name === undefined ? {} : { user_name: turn.user_name },
      integrations: NO_INTEGRATIONS,
      llm,
      now: new Date(turn.at),
    });
    return { result: observed(result), state: result.state, notes };
  } catch (error) {
    notes.push(`the turn failed: ${error instanceof Error ? error.message : String(error)}`);
    return { result: { replies: [FALLBACK_TEXT], state: state?.current_state ?? "", intent: null, slots: state?.slots ?? {} }, state, notes };
  }
}

/** Runs a conversation's inputs in order from a fresh state with the recorded model answers, turn by turn against what happened then. */
export async function replayTurns(target: ReplayFlow, turns: TestCaseTurn[], model = recordedModel): Promise<ReplayResult> {
  const diffs: TurnDiff[] = [];
  const intents: IntentPair[] = [];
  let state: ConversationState | null = null;
  for (const [index, turn] of turns.entries()) {
    const run = await replayTurn(target, state, turn, index, model);
    state = run.state;
    diffs.push(diffTurn(index + 1, inputText(turn.input), turn.expected, run.result, run.notes));
    intents.push({ expected: turn.expected.intent, actual: run.result.intent });
  }
  return { passed: diffs.every(turnPassed), first_difference: firstDifference(diffs), turns: diffs, intents };
}

export const metricsOf = (results: ReplayResult[]): IntentMetric[] => intentMetrics(results.flatMap((r) => r.intents));
