/** A turn kept moving between pass-through states without ever waiting for the user. */
export class FlowLoopError extends Error {
  readonly code = "flow_loop";
  constructor(readonly visited: readonly string[]) {
    super(`The flow moved through ${visited.length} steps without waiting for the customer: ${visited.join(" -> ")}`);
    this.name = "FlowLoopError";
  }
}

/** The definition points at a state it doesn't have; only possible for a flow that skipped validateFlow. */
export class FlowDefinitionError extends Error {
  readonly code = "flow_definition";
  constructor(
    readonly state: string,
    message: string,
  ) {
    super(message);
    this.name = "FlowDefinitionError";
  }
}
