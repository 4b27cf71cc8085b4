import { stateSchema, type FlowDefinitionInput, type StateType, type TransitionCondition } from "@/server/flows/flow-schema";
import type { CanvasMeta } from "@/server/flow-store/canvas-meta";

export type Position = { x: number; y: number };
export type DraftState = FlowDefinitionInput["states"][string];
export type DraftTransition = NonNullable<DraftState["transitions"]>[number];
/** What the editor edits and undo covers: the runtime definition plus editor-only data. */
export type FlowDoc = { definition: FlowDefinitionInput; canvas: CanvasMeta };

/**
 * A name the draft cannot hold: "__proto__" is dropped by the schema and refused by the wire format
 * (superjson), so a state, intent, slot or key of that name would never save. Null when the name is fine.
 */
export const reservedNameProblem = (name: string): string | null => (name === "__proto__" ? '"__proto__" cannot be used as a name' : null);

/** The schema's default, so a transition without a priority sorts where the engine sorts it. */
export const DEFAULT_PRIORITY = 100;

export const priorityOf = (transition: DraftTransition): number => transition.priority ?? DEFAULT_PRIORITY;

export const transitionsOf = (state: DraftState): DraftTransition[] => state.transitions ?? [];

/** Transitions that match whatever the user says; anything declared after them in priority order never runs. */
export const isCatchAll = (condition: TransitionCondition): boolean => condition === "fallback" || condition === "any_input";

/** Palette order: the order the schema declares the state types in. */
export const STATE_TYPES: readonly StateType[] = stateSchema.options.map((option) => option.shape.type.value);
