import { z } from "zod";

/*
 * References, one convention everywhere (templates, condition operands, request_mapping):
 *   {name}            slot `name`, else entity `name`, else turn context (e.g. {user_name})
 *   {slots.a.b}       explicit slot path; {entities.x} explicit entity
 *   {intent}          the conversation's current intent; {input} the user's text this turn
 * A condition operand is a reference only when the whole string is one `{...}`; anything
 * else (numbers, booleans, arrays, other strings) is a literal.
 */

export const transitionConditionSchema = z.enum([
  "any_input",
  "intent_match",
  "slot_filled",
  "condition",
  "integration_success",
  "integration_error",
  "fallback",
]);
export type TransitionCondition = z.infer<typeof transitionConditionSchema>;

/** Lowest priority wins; equal priorities keep their declared order. */
export const transitionSchema = z.object({
  condition: transitionConditionSchema,
  condition_value: z.string().optional(),
  target_state: z.string().min(1),
  priority: z.number().default(100),
});
export type Transition = z.infer<typeof transitionSchema>;

export const carouselItemSchema = z.object({
  title: z.string(),
  subtitle: z.string().optional(),
  image_url: z.string().optional(),
  payload: z.string().optional(),
});
export type CarouselItem = z.infer<typeof carouselItemSchema>;

/**
 * Static `items`, or one item per element of the array in `source_slot`, rendered with
 * `item`, whose templates see the element's fields ({name}) ahead of slots.
 */
export const carouselConfigSchema = z
  .object({
    items: z.array(carouselItemSchema).optional(),
    source_slot: z.string().optional(),
    item: carouselItemSchema.optional(),
    max_items: z.number().int().positive().max(10).default(10),
  })
  .refine((c) => c.items !== undefined || c.source_slot !== undefined, {
    message: "carousel needs items or source_slot",
  });
export type CarouselConfig = z.infer<typeof carouselConfigSchema>;

/**
 * A named variant replaces `default` when the slot of the same name is truthy; the
 * `returning_user` variant also applies when the turn context says so or the conversation
 * already has a completed turn. The first declared matching variant wins.
 */
export const responseTemplatesSchema = z.object({ default: z.string() }).catchall(z.string());

export const responseConfigSchema = z.object({
  response_templates: responseTemplatesSchema,
  quick_replies: z.array(z.string()).optional(),
  carousel: carouselConfigSchema.optional(),
  end: z.boolean().optional(),
});

export const intentConfigSchema = z.object({
  intent_patterns: z.array(z.string().min(1)).min(1),
  confidence_threshold: z.number().min(0).max(1).default(0.6),
});

export const slotValidationTypeSchema = z.enum(["email", "phone", "number", "money", "date", "regex", "enum"]);

/** `regex` patterns are matched case-insensitively; `enum` takes `values` or a `list` from `entities.lists`. */
export const slotValidationSchema = z.object({
  type: slotValidationTypeSchema,
  pattern: z.string().optional(),
  values: z.array(z.string()).optional(),
  list: z.string().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  error_message: z.string().optional(),
});
export type SlotValidation = z.infer<typeof slotValidationSchema>;

export const slotFillingConfigSchema = z.object({
  required_slots: z.array(z.string().min(1)).default([]),
  optional_slots: z.array(z.string().min(1)).default([]),
  prompts: z.record(z.string(), z.string()).default({}),
  validation: z.record(z.string(), slotValidationSchema).default({}),
  max_retries: z.number().int().min(1).default(3),
  on_max_retries: z.string().optional(),
});

/** `request_mapping` string values are templates; a value that is exactly `{ref}` keeps its type. */
export const integrationConfigSchema = z.object({
  integration_id: z.string().min(1),
  endpoint: z.string().min(1),
  method: z.string().toUpperCase().pipe(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"])).default("GET"),
  headers: z.record(z.string(), z.string()).optional(),
  request_mapping: z.record(z.string(), z.json()).default({}),
  /** slot name -> dotted path into the JSON response, e.g. "data.items.0.name". */
  response_mapping: z.record(z.string(), z.string()).default({}),
  timeout_ms: z.number().int().positive().max(60_000).default(5000),
});

export const conditionOperatorSchema = z.enum(["eq", "neq", "gt", "lt", "gte", "lte", "contains", "exists", "in"]);
export type ConditionOperator = z.infer<typeof conditionOperatorSchema>;

export const operandSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export type Operand = z.infer<typeof operandSchema>;

export const conditionSchema = z.object({
  operator: conditionOperatorSchema,
  left: operandSchema,
  right: operandSchema.optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const conditionConfigSchema = z.object({
  conditions: z.array(conditionSchema),
  logic: z.enum(["and", "or"]).default("and"),
});

export const llmConfigSchema = z.object({
  system_prompt: z.string(),
  /** Defaults to the user's text ({input}). */
  prompt_template: z.string().optional(),
  fallback_template: z.string(),
  max_tokens: z.number().int().positive().optional(),
  model: z.string().optional(),
  /** After this the state answers with fallback_template. */
  timeout_ms: z.number().int().positive().max(60_000).default(10_000),
});

export const handoffConfigSchema = z.object({
  message: z.string(),
  queue: z.string().optional(),
});

const transitions = z.array(transitionSchema).default([]);

export const stateSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("response"), config: responseConfigSchema, transitions }),
  z.object({ type: z.literal("intent"), config: intentConfigSchema, transitions }),
  z.object({ type: z.literal("slot_filling"), config: slotFillingConfigSchema, transitions }),
  z.object({ type: z.literal("integration"), config: integrationConfigSchema, transitions }),
  z.object({ type: z.literal("condition"), config: conditionConfigSchema, transitions }),
  z.object({ type: z.literal("llm"), config: llmConfigSchema, transitions }),
  z.object({ type: z.literal("handoff"), config: handoffConfigSchema, transitions }),
]);
export type FlowState = z.infer<typeof stateSchema>;
export type StateType = FlowState["type"];
export type StateOf<T extends StateType> = Extract<FlowState, { type: T }>;

export const intentDefinitionSchema = z.object({ examples: z.array(z.string()).default([]) });

export const flowDefinitionSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  initial_state: z.string().min(1),
  intents: z.record(z.string(), intentDefinitionSchema).default({}),
  /** Tenant lists (products, use cases...); see `listEntityName` for the entity each produces. */
  entities: z.object({ lists: z.record(z.string(), z.array(z.string())).default({}) }).default({ lists: {} }),
  states: z.record(z.string(), stateSchema),
  settings: z
    .object({
      max_steps: z.number().int().positive().max(200).optional(),
      /** Said when a turn would otherwise end in silence: no transition matched and no fallback was declared. */
      not_understood: z.string().min(1).max(2000).optional(),
    })
    .default({}),
});
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;
