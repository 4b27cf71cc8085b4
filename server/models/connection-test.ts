import { AllProvidersFailedError, createLlmGenerator, type ProviderSecret } from "./llm-generator";
import { describeConnectionFailure } from "./connection-failure";

export type ConnectionTarget = Omit<ProviderSecret, "id">;
export type ConnectionTestResult = { ok: boolean; message: string; testedAt: Date };

const TEST_TIMEOUT_MS = 8000;
// Small but not tiny: a model that spends a few tokens before its text still answers.
const TEST_REQUEST = { system_prompt: "This is a connection test.", prompt: "Reply with the word OK.", slots: {}, max_tokens: 32 };

/**
 * One real, minimal generation through the bot's own generator and SSRF-guarded fetch, so "Connected"
 * means the bot can use this model; anything short of an answer (refused key, no server, blocked
 * address, unknown model, empty reply) is a failure with its reason.
 */
export async function testConnection(target: ConnectionTarget, opts: { allowedHosts: string[]; timeoutMs?: number }): Promise<ConnectionTestResult> {
  const timeoutMs = opts.timeoutMs ?? TEST_TIMEOUT_MS;
  const generator = createLlmGenerator([{ ...target, id: "connection-test" }], { allowedHosts: opts.allowedHosts, timeoutMs });
  const started = performance.now();
  try {
    await generator.generate({ ...TEST_REQUEST, timeout_ms: timeoutMs });
    return { ok: true, message: `Connected: ${target.model} answered in ${Math.round(performance.now() - started)} ms`, testedAt: new Date() };
  } catch (error) {
    const cause = error instanceof AllProvidersFailedError ? error.errors[0] : error;
    const message = cause === undefined ? `${target.model} answered with no text` : describeConnectionFailure(cause, target, timeoutMs);
    return { ok: false, message, testedAt: new Date() };
  }
}
