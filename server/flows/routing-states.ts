import { evaluateConditions } from "./conditions";
import type { StateOf } from "./flow-schema";
import type { IntegrationResponse } from "./ports";
import { withDeadline } from "./deadline";
import { getPath } from "./references";
import { renderMapping, renderTemplate } from "./templates";
import { pickTransition } from "./transitions";
import { baseFacts, outcomeOf, scopeOf, type StepOutcome, type TurnContext } from "./turn-context";

export function enterIntent(ctx: TurnContext, state: StateOf<"intent">): StepOutcome {
  const { intent_patterns, confidence_threshold } = state.config;
  const result = ctx.nlu.classify(ctx.text, intent_patterns);
  const accepted = result.intent !== null && result.confidence >= confidence_threshold ? result.intent : null;

  ctx.state.current_intent = accepted;
  ctx.state.intent_confidence = result.confidence;
  // What the user just said outranks what an earlier turn filled in.
  Object.assign(ctx.state.slots, ctx.entities);
  // A rejected guess stays visible to analytics as the first alternative.
  ctx.intent =
    accepted !== null || result.intent === null
      ? result
      : {
          intent: null,
          confidence: result.confidence,
          alternatives: [{ intent: result.intent, confidence: result.confidence }, ...result.alternatives],
        };
  return outcomeOf(pickTransition(state.transitions, { ...baseFacts(ctx), intent: accepted }));
}

export function enterCondition(ctx: TurnContext, state: StateOf<"condition">): StepOutcome {
  const conditionMet = evaluateConditions(state.config.conditions, state.config.logic, scopeOf(ctx));
  return outcomeOf(pickTransition(state.transitions, { ...baseFacts(ctx), conditionMet }));
}

/** The caller is expected to honour timeout_ms; this bound only protects the turn from one that doesn't. */
async function callWithDeadline(ctx: TurnContext, state: StateOf<"integration">): Promise<IntegrationResponse> {
  const caller = ctx.integrations;
  if (!caller) return { ok: false, error: "no integration caller configured" };
  const { config } = state;
  const scope = scopeOf(ctx);
  const body = Object.keys(config.request_mapping).length > 0 ? renderMapping(config.request_mapping, scope) : undefined;
  try {
    return await withDeadline(
      config.timeout_ms + 250,
      ctx.signal,
      (signal) =>
        caller.call({
          integration_id: config.integration_id,
          endpoint: renderTemplate(config.endpoint, scope, encodeURIComponent),
          method: config.method,
          ...(config.headers && { headers: config.headers }),
          ...(body !== undefined && { body }),
          timeout_ms: config.timeout_ms,
          signal,
        }),
      () => ({ ok: false, error: `timed out after ${config.timeout_ms} ms` }),
    );
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function enterIntegration(ctx: TurnContext, state: StateOf<"integration">): Promise<StepOutcome> {
  const response = await callWithDeadline(ctx, state);
  const success = response.ok && response.status < 400;
  if (success) {
    for (const [slot, path] of Object.entries(state.config.response_mapping)) {
      // An absent field clears the slot so a previous call's answer can't pass for this one.
      const value = getPath(response.data, path);
      if (value === undefined) delete ctx.state.slots[slot];
      else ctx.state.slots[slot] = value;
    }
  }
  return outcomeOf(pickTransition(state.transitions, { ...baseFacts(ctx), integration: success ? "success" : "error" }));
}
