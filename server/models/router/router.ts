import { createHash } from "node:crypto";
import type { Kv } from "../../cache/kv";
import { ModelCallFailedError, StreamInterruptedError, type LlmAnswer, type LlmGenerator, type LlmRequest, type ModelAttempt, type TokenUsage } from "../../flows/ports";
import { estimateInputTokens, estimateTokens, microCents, priceOf, toCents, toMicroCents, worstCaseMicroCents, type TenantPrices } from "../model-cost";
import type { RoutingPolicy } from "../routing-policy";
import { createProviderFetch } from "../transport";
import { createBreaker, DEFAULT_BREAKER, type BreakerOptions } from "./breaker";
import { createBudget, type MonthSpend, type Reservation } from "./budget";
import { callRecord, failureOf, type CallOutcome } from "./call-record";
import { resolveRouting, type RouterConnection } from "./candidates";
import { classify, RETRYABLE } from "./error-class";
import { providerCall, StreamCutError, type ProviderCall } from "./provider-call";

export type RouterSetup = {
  tenantId: string;
  connections: RouterConnection[];
  policy: RoutingPolicy;
  tenantPrices: TenantPrices;
  /** This month's durable spend, read before the turn (see budget.ts). */
  monthSpend: () => MonthSpend;
  kv: Kv;
  allowedHosts: string[];
  /** Each try's share of the turn's time, at most. */
  attemptTimeoutMs?: number;
  breaker?: BreakerOptions;
  /** Epoch milliseconds; injectable so a test can wait out a breaker's cooldown. */
  clock?: () => number;
  fetchImpl?: typeof fetch;
};

const DEFAULT_MAX_TOKENS = 400;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 6000;
const DEADLINE_MARGIN_MS = 25;
// The transport's own bound on a whole exchange, a streamed answer's body included; turns end sooner.
const TRANSPORT_TIMEOUT_MS = 60_000;

// Refused keys this process has seen, by breaker id (which holds the key's hash): skipped at once, here.
const refusedHere = new Set<string>();

function contextPrompt(req: LlmRequest): string {
  const known = Object.entries(req.slots).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return known.length ? `${req.system_prompt}\n\nWhat we know about this customer: ${JSON.stringify(Object.fromEntries(known))}` : req.system_prompt;
}

const keyHash = (apiKey: string) => createHash("sha256").update(apiKey).digest("hex").slice(0, 16);

/**
 * The model router as the flow engine's LlmGenerator: for each call it resolves the chain, skips
 * candidates that are refused, unpriced, over the cap per request, open-circuited or over the
 * monthly budget (reserved atomically before the call, settled after), and falls back on 429, 5xx,
 * timeouts, connection errors and streams cut before their first token, within one deadline.
 */
export function createModelRouter(setup: RouterSetup): LlmGenerator {
  const attemptTimeoutMs = setup.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const clock = setup.clock ?? Date.now;
  const fetchImpl = setup.fetchImpl ?? createProviderFetch({ allowedHosts: setup.allowedHosts, timeoutMs: TRANSPORT_TIMEOUT_MS });
  const breaker = createBreaker(setup.kv, setup.breaker ?? DEFAULT_BREAKER, clock);
  const budget = setup.policy.monthly_budget_cents === null ? null : createBudget(setup.kv, setup.tenantId, setup.policy.monthly_budget_cents, setup.monthSpend);
  const clients = new Map<string, ProviderCall>();
  const clientFor = (c: RouterConnection) => clients.get(c.id) ?? clients.set(c.id, providerCall(c, fetchImpl)).get(c.id)!;
  const breakerIds = new Map(setup.connections.map((c) => [c.id, `${setup.tenantId}:${c.id}:${keyHash(c.apiKey)}`]));

  return {
    async generate(req: LlmRequest): Promise<LlmAnswer> {
      const startedAt = performance.now();
      // A little before the state's own deadline, so the record of a late call is returned rather than dropped by it.
      const deadline = startedAt + req.timeout_ms - DEADLINE_MARGIN_MS;
      const routing = resolveRouting(setup.connections, setup.policy, req.routing, req.model);
      const system = contextPrompt(req);
      const maxTokens = req.max_tokens ?? DEFAULT_MAX_TOKENS;
      const inputTokens = estimateInputTokens([system, req.prompt]);
      const attempts: ModelAttempt[] = [];
      const invalidKeys: CallOutcome["invalidKeys"] = [];
      const outcome = (o: Partial<CallOutcome> & Pick<CallOutcome, "status">): CallOutcome => ({ answered: null, attempts, usage: null, costMicroCents: 0, startedAt, ttftAt: null, invalidKeys, ...o });

      if (routing.candidates.length === 0) {
        const reason = routing.unserved.length ? `No connected model serves ${routing.unserved.join(", ")}` : "No model is connected";
        throw new ModelCallFailedError(callRecord(outcome({ status: "no_model", reason })));
      }

      for (const c of routing.candidates) {
        const id = breakerIds.get(c.connection.id)!;
        const skip = (error_class: ModelAttempt["error_class"], message: string) => attempts.push({ provider: c.connection.provider, model: c.model, error_class, http_status: null, latency_ms: 0, message });
        if (c.connection.keyInvalid || refusedHere.has(id)) {
          skip("unauthorized", "Skipped: the provider refused this key; replace it on the AI models page");
          continue;
        }
        const price = priceOf(c.ref, setup.tenantPrices);
        if (!price) {
          skip("unpriced", `${c.model} has no price; set its prices on the AI models page`);
          continue;
        }
        const worst = worstCaseMicroCents(price, inputTokens, maxTokens);
        if (routing.maxCostCents !== null && worst > toMicroCents(routing.maxCostCents)) {
          skip("skipped_cost", `Could cost ${toCents(worst)}¢, over the ${routing.maxCostCents}¢ cap per request`);
          continue;
        }
        const remaining = Math.floor(deadline - performance.now());
        if (remaining <= 0 || req.signal?.aborted) {
          skip("timeout", `Not tried: the state's ${req.timeout_ms} ms were used up`);
          break;
        }
        let reservation: Reservation | null = null;
        if (budget) {
          try {
            reservation = await budget.reserve(worst, new Date(clock()));
          } catch {
            skip("skipped_budget", "The monthly budget could not be checked right now, so no model was called.");
            continue;
          }
          if (!reservation) {
            skip("skipped_budget", budget.describe());
            continue;
          }
        }
        const settle = (micro: number) => (reservation ? budget!.settle(reservation, micro) : undefined);
        // After the reservation, so a half-open circuit's probe it claims is always used.
        const verdict = await breaker.check(id);
        if (!verdict.allowed) {
          await settle(0);
          skip(verdict.error_class, verdict.reason);
          continue;
        }

        const tried = performance.now();
        const tryTimeout = Math.min(attemptTimeoutMs, remaining);
        const signal = req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(remaining)]) : AbortSignal.timeout(remaining);
        try {
          const reply = await clientFor(c.connection)({ model: c.model, system, prompt: req.prompt, maxTokens, timeoutMs: tryTimeout, signal, ...(req.on_token && { onToken: req.on_token }) });
          const latency_ms = Math.round(performance.now() - tried);
          if (!reply.text) {
            await settle(0);
            await breaker.succeeded(id, verdict.probe);
            attempts.push({ provider: c.connection.provider, model: c.model, error_class: "empty", http_status: 200, latency_ms, message: "The model answered with no text" });
            continue;
          }
          const usage: TokenUsage = reply.usage ?? { input_tokens: inputTokens, output_tokens: estimateTokens(reply.text) };
          const cost = microCents(price, usage);
          await settle(cost);
          await breaker.succeeded(id, verdict.probe);
          attempts.push({ provider: c.connection.provider, model: c.model, error_class: null, http_status: 200, latency_ms });
          const call = callRecord(outcome({ status: "ok", answered: c, usage, costMicroCents: cost, ttftAt: reply.ttftAt }));
          return { text: reply.text, model: `${c.connection.provider}:${reply.model}`, usage, call };
        } catch (error) {
          // Our deadline aborts the SDK's request, which it reports as a user abort: it is this try's timeout.
          const failure = signal.aborted && !req.signal?.aborted ? { error_class: "timeout" as const, http_status: null, message: "No answer before the turn's deadline" } : classify(error);
          attempts.push({ provider: c.connection.provider, model: c.model, ...failure, latency_ms: Math.round(performance.now() - tried) });
          if (error instanceof StreamCutError && error.partialText) {
            // After the first token the text cannot be taken back: the call ends with an explicit error carrying it.
            const usage = { input_tokens: inputTokens, output_tokens: estimateTokens(error.partialText) };
            const cost = microCents(price, usage);
            await settle(cost);
            await breaker.failed(id, verdict.probe);
            const reason = "The answer was cut off after it had started; no other model was asked, so the visitor sees that it stopped.";
            throw new StreamInterruptedError(callRecord(outcome({ status: "stream_interrupted", answered: c, usage, costMicroCents: cost, reason })), error.partialText);
          }
          await settle(0);
          if (failure.error_class === "unauthorized") {
            const reason = `The provider refused the key (${failure.http_status}) on ${new Date(clock()).toISOString().slice(0, 10)}`;
            refusedHere.add(id);
            await breaker.markInvalid(id, reason);
            invalidKeys.push({ connection_id: c.connection.id, reason });
            continue;
          }
          if (RETRYABLE.has(failure.error_class)) {
            await breaker.failed(id, verdict.probe);
            if (req.signal?.aborted) break;
            continue;
          }
          // The provider answered, so it is up; the request itself is wrong and another model would not fix it.
          await breaker.succeeded(id, verdict.probe);
          break;
        }
      }
      throw new ModelCallFailedError(callRecord(outcome(failureOf(attempts, { budget: budget?.describe() ?? "", maxCostCents: routing.maxCostCents }))));
    },
  };
}
