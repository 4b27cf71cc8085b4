import type { FlowDefinitionInput } from "../../flows/flow-schema";

/** The smallest flow that can be published: one greeting. */
export const blankFlow = {
  name: "new-flow",
  version: "1.0",
  initial_state: "greeting",
  states: {
    greeting: { type: "response", config: { response_templates: { default: "Hello! How can I help you today?" } }, transitions: [] },
  },
} satisfies FlowDefinitionInput;
