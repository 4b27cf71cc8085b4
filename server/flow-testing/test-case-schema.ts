import { z } from "zod";
import { userInputSchema } from "../flows/user-input";

const slotsSchema = z.record(z.string(), z.unknown());

/** What the bot did on a turn, as stored with the conversation: what a replay must do again. */
export const expectedTurnSchema = z.object({
  /** Each reply's text, in order. */
  replies: z.array(z.string()),
  /** The state the conversation waited in after the turn. */
  state: z.string(),
  /** The intent the turn's classification accepted; null when none. */
  intent: z.string().nullable(),
  slots: slotsSchema,
});
export type ExpectedTurn = z.infer<typeof expectedTurnSchema>;

/** One turn of a saved test case; also the flow_test_cases.turns column's element shape. */
export const testCaseTurnSchema = z.object({
  input: userInputSchema,
  /** When the turn happened: a replay runs with this clock, so "tomorrow" means the same day it meant then. */
  at: z.iso.datetime({ offset: true }),
  user_name: z.string().optional(),
  expected: expectedTurnSchema,
  /** The turn's model answers, one per llm call in order; null where no model answered and the state's fallback template was used. */
  model_answers: z.array(z.string().nullable()),
});
export type TestCaseTurn = z.infer<typeof testCaseTurnSchema>;

export const testCaseTurnsSchema = z.array(testCaseTurnSchema).min(1);

export const testCaseNameSchema = z.string().trim().min(1).max(120).meta({ title: "Test case name" });

export const saveTestCaseInputSchema = z.object({
  conversationId: z.uuid().meta({ title: "Conversation" }),
  name: testCaseNameSchema,
});

/** Which definition of a flow to run: its stored draft, its published version, or a version number. */
export const flowTargetSchema = z.union([z.literal("draft"), z.literal("published"), z.number().int().min(1)]).meta({ title: "Version" });
export type FlowTarget = z.infer<typeof flowTargetSchema>;
