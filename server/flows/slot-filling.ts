import type { StateOf } from "./flow-schema";
import { isPresent } from "./references";
import { validateSlotValue } from "./slot-validation";
import { renderTemplate } from "./templates";
import { orderTransitions, pickTransition } from "./transitions";
import { baseFacts, outcomeOf, scopeOf, type StepOutcome, type TurnContext } from "./turn-context";

type SlotState = StateOf<"slot_filling">;

const MAX_ENUM_QUICK_REPLIES = 6;

function retryKey(stateName: string, slot: string): string {
  return `${stateName}.${slot}`;
}

function clearRetries(ctx: TurnContext, stateName: string): void {
  for (const key of Object.keys(ctx.state.retries)) if (key.startsWith(`${stateName}.`)) delete ctx.state.retries[key];
}

function prompt(ctx: TurnContext, state: SlotState, slot: string, error: string | null): void {
  const { prompts, validation } = state.config;
  const question = renderTemplate(prompts[slot] ?? `Please tell me your ${slot.replace(/_/g, " ")}.`, scopeOf(ctx));
  const text = error ? `${error} ${question}` : question;
  const rule = validation[slot];
  const choices = rule?.type === "enum" ? (rule.values ?? (rule.list ? ctx.flow.entities.lists[rule.list] : undefined)) : undefined;
  ctx.messages.push(
    choices && choices.length > 0 && choices.length <= MAX_ENUM_QUICK_REPLIES
      ? { type: "text", text, quick_replies: [...choices] }
      : { type: "text", text },
  );
}

/**
 * Fills what this input provides, then moves on, asks for the next missing slot, or
 * re-asks with the validation error.
 *
 * Entities whose name equals a slot fill it. When `answering` (the input is a reply to
 * our prompt) and no entity filled anything, the whole reply is validated as the
 * prompted slot, so "800" answers "what's your budget?" even though it is not an entity.
 */
function fillSlots(ctx: TurnContext, name: string, state: SlotState, answering: boolean): StepOutcome {
  const { required_slots, optional_slots, validation, max_retries, on_max_retries } = state.config;
  const validationContext = { now: ctx.now, lists: ctx.flow.entities.lists };
  const slots = ctx.state.slots;
  const prompted = answering ? ctx.state.missing_required_slots[0] : undefined;

  let filled = 0;
  let error: string | null = null;
  const fill = (slot: string, value: unknown) => {
    slots[slot] = value;
    delete ctx.state.retries[retryKey(name, slot)];
    filled++;
  };
  for (const slot of [...required_slots, ...optional_slots]) {
    if (!(slot in ctx.entities)) continue;
    const check = validateSlotValue(ctx.entities[slot], validation[slot], validationContext);
    if (check.ok) fill(slot, check.value);
    else {
      // An intent state may already have copied the raw entity into the slot; an invalid value must not count as filled.
      if (slots[slot] === ctx.entities[slot]) delete slots[slot];
      if (required_slots.includes(slot)) error ??= check.error;
    }
  }
  if (prompted !== undefined && filled === 0 && !isPresent(slots[prompted]) && ctx.text.trim() !== "") {
    const check = validateSlotValue(ctx.text, validation[prompted], validationContext);
    if (check.ok) fill(prompted, check.value);
    else error = check.error;
  }

  const missing = required_slots.filter((slot) => !isPresent(slots[slot]));
  ctx.state.missing_required_slots = missing;
  const facts = baseFacts(ctx);
  if (missing.length === 0) {
    clearRetries(ctx, name);
    return outcomeOf(pickTransition(state.transitions, facts));
  }

  const early = pickTransition(state.transitions, facts, (t) => t.condition === "slot_filled" && t.condition_value !== undefined);
  if (early) return { kind: "goto", transition: early };

  const next = missing[0] ?? "";
  if (filled > 0 || error === null) {
    prompt(ctx, state, next, null);
    return { kind: "wait" };
  }

  const key = retryKey(name, prompted ?? next);
  const attempts = (ctx.state.retries[key] ?? 0) + 1;
  if (attempts < max_retries) {
    ctx.state.retries[key] = attempts;
    prompt(ctx, state, next, error);
    return { kind: "wait" };
  }

  clearRetries(ctx, name);
  if (on_max_retries) ctx.messages.push({ type: "text", text: renderTemplate(on_max_retries, scopeOf(ctx)) });
  const fallback = orderTransitions(state.transitions).find((t) => t.condition === "fallback");
  if (fallback) return { kind: "goto", transition: fallback };
  prompt(ctx, state, next, null);
  return { kind: "wait" };
}

export function enterSlotFilling(ctx: TurnContext, name: string, state: SlotState): StepOutcome {
  return fillSlots(ctx, name, state, false);
}

export function offerToSlotFilling(ctx: TurnContext, name: string, state: SlotState): StepOutcome {
  return fillSlots(ctx, name, state, true);
}
