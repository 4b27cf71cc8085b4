import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { conversationStateSchema, startState, type ConversationState } from "../flows/conversation-state";
import { withDeadline } from "../flows/deadline";
import { runTurn, type IntegrationCaller, type LlmGenerator, type TurnResult } from "../flows/engine";
import { FlowLoopError } from "../flows/flow-errors";
import type { FlowDefinition } from "../flows/flow-schema";
import { tenantLlm } from "../models/tenant-llm";
import { buildFlowNlu } from "../pipeline/flow-nlu";
import { turnBudgetMs } from "../pipeline/flow-runtime";
import { createHttpIntegrationCaller } from "../pipeline/http-integration-caller";
import { MAX_TEXT_LENGTH } from "../pipeline/message-schema";
import { FALLBACK_TEXT } from "../pipeline/process-message";
import { integrationSampleSchema, sampleFor, type IntegrationSample } from "./canvas-meta";
import { checkFlowDefinition, requireFlow } from "./flow-service";

export const tryItInputSchema = z.object({
  flowId: z.uuid().meta({ title: "Flow" }),
  // Any JSON: its problems come back as the flow validator's list, as for saving a draft.
  definition: z.unknown().meta({ title: "Flow definition" }),
  samples: z.record(z.string(), integrationSampleSchema).meta({ title: "Sample responses" }).default({}),
  /** The previous answer's state; null starts a new sandbox conversation. */
  state: conversationStateSchema.meta({ title: "Conversation state" }).nullable(),
  text: z.string().trim().min(1).max(MAX_TEXT_LENGTH).meta({ title: "Message" }),
});
export type TryItInput = z.input<typeof tryItInputSchema>;

export type TryItResult = Pick<TurnResult, "messages" | "trace" | "intent" | "entities" | "state"> & {
  slots: ConversationState["slots"];
  status: ConversationState["status"];
  modelUsed: string | null;
  /** Why the turn failed (a customer would have been given FALLBACK_TEXT); null when it ran. */
  error: string | null;
};

/**
 * The engine hands a caller only the request, so each integration state's id is replaced by its own
 * name in the copy the sandbox runs: the caller then knows which state is calling, whatever endpoints
 * or ids states share, and restores the real id before a real call. Nothing else reads integration_id.
 */
function withSamples(flow: FlowDefinition, samples: Record<string, IntegrationSample>, real: IntegrationCaller): { flow: FlowDefinition; integrations: IntegrationCaller } {
  const realIds = new Map<string, string>();
  const states = Object.fromEntries(
    Object.entries(flow.states).map(([name, state]) => {
      if (state.type !== "integration") return [name, state];
      realIds.set(name, state.config.integration_id);
      return [name, { ...state, config: { ...state.config, integration_id: name } }];
    }),
  );
  const integrations: IntegrationCaller = {
    async call(req) {
      const sample = sampleFor(samples, req.integration_id);
      if (!sample) return real.call({ ...req, integration_id: realIds.get(req.integration_id) ?? req.integration_id });
      return sample.status >= 200 && sample.status < 300 ? { ok: true, status: sample.status, data: sample.body } : { ok: false, error: `Sample response: HTTP ${sample.status}` };
    },
  };
  return { flow: { ...flow, states }, integrations };
}

/** As in production, a model that cannot be loaded means templates, not a failed turn. */
async function modelOf(db: Db, tenantId: string, allowedHosts: string[]): Promise<LlmGenerator | undefined> {
  try {
    return await tenantLlm(db, tenantId, allowedHosts);
  } catch (error) {
    console.warn(`[try-it] model router unavailable for tenant ${tenantId}, answering from templates: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

class TurnTimeout extends Error {}

/** What the author is told when production would have answered FALLBACK_TEXT; only our own errors' words are shown. */
function failureText(error: unknown): string {
  if (error instanceof TurnTimeout || error instanceof FlowLoopError) return error.message;
  const reference = randomUUID();
  console.error(`[try-it] turn failed (${reference})`, error);
  return `The turn failed; the server log has the cause under ${reference}.`;
}

/**
 * One turn of the admin's unsaved draft through the production engine (runTurn), NLU, model chain,
 * deadline and SSRF-guarded integration caller, with integration states that have a sample answered
 * by it. Nothing is stored: a sandbox conversation never has a row in conversations or messages, so it
 * cannot count in analytics or usage; its state travels with each request instead.
 */
export async function tryIt(db: Db, tenantId: string, input: z.output<typeof tryItInputSchema>): Promise<TryItResult> {
  await requireFlow(db, tenantId, input.flowId);
  const check = checkFlowDefinition(input.definition);
  if (!check.ok) throw new AppError("VALIDATION_ERROR", "Fix the errors in this draft before trying it", { issues: check.issues });

  const allowedHosts = env().OUTBOUND_ALLOWED_HOSTS;
  const sandbox = withSamples(check.flow, input.samples, createHttpIntegrationCaller({ allowedHosts }));
  const llm = await modelOf(db, tenantId, allowedHosts);
  const budget = turnBudgetMs(check.flow);
  try {
    const turn = await withDeadline(
      budget,
      undefined,
      (signal) => runTurn({ flow: sandbox.flow, nlu: buildFlowNlu(check.flow), state: input.state, input: { type: "text", text: input.text }, integrations: sandbox.integrations, llm, signal }),
      () => {
        throw new TurnTimeout(`The turn took longer than ${budget} ms, so a customer would have been told: "${FALLBACK_TEXT}"`);
      },
    );
    const { messages, trace, intent, entities, state } = turn;
    return { messages, trace, intent, entities, state, slots: state.slots, status: state.status, modelUsed: turn.model_used, error: null };
  } catch (error) {
    // As in production, a failed turn leaves the conversation where it was.
    const state = input.state ?? startState(check.flow);
    return {
      messages: [{ type: "text", text: FALLBACK_TEXT }],
      trace: [],
      intent: { name: null, confidence: 0, alternatives: [] },
      entities: {},
      state,
      slots: state.slots,
      status: state.status,
      modelUsed: null,
      error: failureText(error),
    };
  }
}
