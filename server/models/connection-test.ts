import { describeConnectionFailure } from "./connection-failure";
import { providerCall, type ProviderTarget } from "./router/provider-call";
import { createProviderFetch } from "./transport";

export type ConnectionTarget = ProviderTarget & { model: string };
export type ConnectionTestResult = { ok: boolean; message: string; testedAt: Date };

const TEST_TIMEOUT_MS = 8000;
// Small but not tiny: a model that spends a few tokens before its text still answers.
const TEST_REQUEST = { system: "This is a connection test.", prompt: "Reply with the word OK.", maxTokens: 32 };

/**
 * One real, minimal call through the router's own provider client and SSRF-guarded fetch, so
 * "Connected" means the bot can use this model; anything short of an answer (refused key, no server,
 * blocked address, unknown model, empty reply) is a failure with its reason. Budgets and prices do
 * not apply: a test is how a tenant finds out what a model is before routing to it.
 */
export async function testConnection(target: ConnectionTarget, opts: { allowedHosts: string[]; timeoutMs?: number }): Promise<ConnectionTestResult> {
  const timeoutMs = opts.timeoutMs ?? TEST_TIMEOUT_MS;
  const call = providerCall(target, createProviderFetch({ allowedHosts: opts.allowedHosts, timeoutMs }));
  const started = performance.now();
  try {
    const reply = await call({ ...TEST_REQUEST, model: target.model, timeoutMs });
    if (!reply.text) return { ok: false, message: `${target.model} answered with no text`, testedAt: new Date() };
    return { ok: true, message: `Connected: ${target.model} answered in ${Math.round(performance.now() - started)} ms`, testedAt: new Date() };
  } catch (error) {
    return { ok: false, message: describeConnectionFailure(error, target, timeoutMs), testedAt: new Date() };
  }
}
