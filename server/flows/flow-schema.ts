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
  condition: transitionConditionSchema.meta({ title: "Condition" }),
  condition_value: z.string().meta({ title: "Condition value" }).optional(),
  target_state: z.string().min(1).meta({ title: "Target state" }),
  priority: z.number().meta({ title: "Priority" }).default(100),
});
export type Transition = z.infer<typeof transitionSchema>;

export const carouselItemSchema = z.object({
  title: z.string().meta({ title: "Title" }),
  subtitle: z.string().meta({ title: "Subtitle" }).optional(),
  image_url: z.string().meta({ title: "Image URL" }).optional(),
  payload: z.string().meta({ title: "Payload" }).optional(),
});
export type CarouselItem = z.infer<typeof carouselItemSchema>;

/**
 * Static `items`, or one item per element of the array in `source_slot`, rendered with
 * `item`, whose templates see the element's fields ({name}) ahead of slots.
 */
export const carouselConfigSchema = z
  .object({
    items: z.array(carouselItemSchema).meta({ title: "Items" }).optional(),
    source_slot: z.string().meta({ title: "Source slot" }).optional(),
    item: carouselItemSchema.meta({ title: "Item" }).optional(),
    max_items: z.number().int().positive().max(10).meta({ title: "Max items" }).default(10),
  })
  .refine((c) => c.items !== undefined || c.source_slot !== undefined, {
    message: "A carousel needs items or a source_slot",
  });
export type CarouselConfig = z.infer<typeof carouselConfigSchema>;

/**
 * A named variant replaces `default` when the slot of the same name is truthy; the
 * `returning_user` variant also applies when the turn context says so or the conversation
 * already has a completed turn. The first declared matching variant wins.
 */
export const responseTemplatesSchema = z.object({ default: z.string().meta({ title: "Default template" }) }).catchall(z.string().meta({ title: "Template" }));

export const responseConfigSchema = z.object({
  response_templates: responseTemplatesSchema.meta({ title: "Response templates" }),
  quick_replies: z.array(z.string()).meta({ title: "Quick replies" }).optional(),
  carousel: carouselConfigSchema.meta({ title: "Carousel" }).optional(),
  end: z.boolean().meta({ title: "End" }).optional(),
});

export const intentConfigSchema = z.object({
  intent_patterns: z.array(z.string().min(1)).min(1).meta({ title: "Intent patterns" }),
  confidence_threshold: z.number().min(0).max(1).meta({ title: "Confidence threshold" }).default(0.6),
});

export const slotValidationTypeSchema = z.enum(["email", "phone", "number", "money", "date", "regex", "enum"]);

/** `regex` patterns are matched case-insensitively; `enum` takes `values` or a `list` from `entities.lists`. */
export const slotValidationSchema = z.object({
  type: slotValidationTypeSchema.meta({ title: "Validation type" }),
  pattern: z.string().meta({ title: "Pattern" }).optional(),
  values: z.array(z.string()).meta({ title: "Values" }).optional(),
  list: z.string().meta({ title: "List" }).optional(),
  min: z.number().meta({ title: "Minimum" }).optional(),
  max: z.number().meta({ title: "Maximum" }).optional(),
  error_message: z.string().meta({ title: "Error message" }).optional(),
});
export type SlotValidation = z.infer<typeof slotValidationSchema>;

export const slotFillingConfigSchema = z.object({
  required_slots: z.array(z.string().min(1)).meta({ title: "Required slots" }).default([]),
  optional_slots: z.array(z.string().min(1)).meta({ title: "Optional slots" }).default([]),
  prompts: z.record(z.string(), z.string().meta({ title: "Prompt" })).meta({ title: "Prompts" }).default({}),
  validation: z.record(z.string(), slotValidationSchema).meta({ title: "Validation" }).default({}),
  max_retries: z.number().int().min(1).meta({ title: "Max retries" }).default(3),
  on_max_retries: z.string().meta({ title: "On max retries" }).optional(),
});

/** `request_mapping` string values are templates; a value that is exactly `{ref}` keeps its type. */
export const integrationConfigSchema = z.object({
  integration_id: z.string().min(1).meta({ title: "Integration ID" }),
  endpoint: z.string().min(1).meta({ title: "Endpoint" }),
  method: z
    .string()
    .meta({ title: "Method" })
    .toUpperCase()
    .pipe(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).meta({ title: "Method" }))
    .default("GET"),
  headers: z.record(z.string(), z.string().meta({ title: "Header" })).meta({ title: "Headers" }).optional(),
  request_mapping: z.record(z.string(), z.json()).meta({ title: "Request mapping" }).default({}),
  /** slot name -> dotted path into the JSON response, e.g. "data.items.0.name". */
  response_mapping: z.record(z.string(), z.string().meta({ title: "Response path" })).meta({ title: "Response mapping" }).default({}),
  timeout_ms: z.number().int().positive().max(60_000).meta({ title: "Timeout in milliseconds" }).default(5000),
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
  operator: conditionOperatorSchema.meta({ title: "Operator" }),
  left: operandSchema.meta({ title: "Left operand" }),
  right: operandSchema.meta({ title: "Right operand" }).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const conditionConfigSchema = z.object({
  conditions: z.array(conditionSchema).meta({ title: "Conditions" }),
  logic: z.enum(["and", "or"]).meta({ title: "Logic" }).default("and"),
});

/** Overrides the tenant's model routing for a flow or an llm state ("provider:model" entries tried in order). */
export const modelRefSchema = z.string().regex(/^(openai|anthropic|openai_compatible):\S+$/, "Write each model as provider:model, e.g. openai:gpt-4o-mini").meta({ title: "Model" });
export const routingOverrideSchema = z.object({
  chain: z.array(modelRefSchema).min(1).max(8).meta({ title: "Model chain" }).optional(),
  max_cost_cents: z.number().positive().max(10_000).meta({ title: "Max cost per request (cents)" }).optional(),
});

export const llmConfigSchema = z.object({
  system_prompt: z.string().meta({ title: "System prompt" }),
  /** Defaults to the user's text ({input}). */
  prompt_template: z.string().meta({ title: "Prompt template" }).optional(),
  fallback_template: z.string().meta({ title: "Fallback template" }),
  max_tokens: z.number().int().positive().meta({ title: "Max tokens" }).optional(),
  model: z.string().meta({ title: "Model" }).optional(),
  /** After this the state answers with fallback_template. */
  timeout_ms: z.number().int().positive().max(60_000).meta({ title: "Timeout in milliseconds" }).default(10_000),
  routing: routingOverrideSchema.meta({ title: "Model routing" }).optional(),
});

export const handoffConfigSchema = z.object({
  message: z.string().meta({ title: "Message" }),
  /** The answer to each message while the conversation waits for a person; defaults to `message`. */
  waiting_message: z.string().meta({ title: "Waiting message" }).optional(),
  queue: z.string().meta({ title: "Queue" }).optional(),
  /**
   * While nobody in the workspace is available, after this many seconds of waiting the flow takes the
   * conversation back: it sends `away_message` and follows this state's `fallback` transition (the flow's
   * initial state when it has none).
   */
  away_timeout_seconds: z.number().int().min(30).max(7 * 24 * 3600).meta({ title: "Away timeout (seconds)" }).optional(),
  away_message: z.string().meta({ title: "Away message" }).optional(),
});

const transitions = z.array(transitionSchema).meta({ title: "Transitions" }).default([]);

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

export const intentDefinitionSchema = z.object({ examples: z.array(z.string()).meta({ title: "Examples" }).default([]) });

export const flowDefinitionSchema = z.object({
  name: z.string().min(1).meta({ title: "Flow name" }),
  version: z.string().min(1).meta({ title: "Version" }),
  initial_state: z.string().min(1).meta({ title: "Initial state" }),
  intents: z.record(z.string(), intentDefinitionSchema).meta({ title: "Intents" }).default({}),
  /** Tenant lists (products, use cases...); see `listEntityName` for the entity each produces. */
  entities: z
    .object({ lists: z.record(z.string(), z.array(z.string()).meta({ title: "Entity list" })).meta({ title: "Entity lists" }).default({}) })
    .meta({ title: "Entities" })
    .default({ lists: {} }),
  states: z.record(z.string(), stateSchema).meta({ title: "States" }),
  settings: z
    .object({
      max_steps: z.number().int().positive().max(200).meta({ title: "Max steps" }).optional(),
      /** Said when a turn would otherwise end in silence: no transition matched and no fallback was declared. */
      not_understood: z.string().min(1).max(2000).meta({ title: "Not-understood message" }).optional(),
      model_routing: routingOverrideSchema.meta({ title: "Model routing" }).optional(),
    })
    .meta({ title: "Settings" })
    .default({}),
});
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;
export type FlowDefinitionInput = z.input<typeof flowDefinitionSchema>;
