import demoFlowJson from "./demo-flow.json";
import { flowDefinitionSchema, type FlowDefinition } from "./flow-schema";

/** The Acme Store demo: every state type, used by the seed data and the engine's journey tests. */
export const demoFlow: FlowDefinition = flowDefinitionSchema.parse(demoFlowJson);
