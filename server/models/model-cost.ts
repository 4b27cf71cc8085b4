import type { TokenUsage } from "../flows/ports";
import prices from "./prices.json";

/** US cents per million tokens. */
export type Price = { input_cents_per_mtok: number; output_cents_per_mtok: number };
/** A tenant's own prices, keyed "provider:model" as in a chain (model_prices). */
export type TenantPrices = ReadonlyMap<string, Price>;

const table: Record<string, Price> = prices.models;
// Longest first, so "gpt-4o-mini-2024-07-18" is priced as gpt-4o-mini, not gpt-4o.
const names = Object.keys(table).sort((a, b) => b.length - a.length);

export const PRICE_TABLE_VERSION = prices.version;
export const PRICE_TABLE_TAKEN_ON = prices.taken_on;

const modelName = (ref: string) => ref.slice(ref.indexOf(":") + 1);

/** The repo's price of a model id ("openai:gpt-4o-mini-2024-07-18" or "gpt-4o-mini"); null when the table does not know it. */
export function listPrice(ref: string): Price | null {
  const id = modelName(ref);
  const name = names.find((n) => id === n || id.startsWith(`${n}-`));
  return name ? table[name]! : null;
}

/** The tenant's price of "provider:model" when it set one, else the repo's; null: unpriced, never a guess. */
export function priceOf(ref: string, tenantPrices: TenantPrices): Price | null {
  return tenantPrices.get(ref) ?? listPrice(ref);
}

/*
 * Money is counted in micro-cents (1e-6 cent, the precision of the cents columns) as integers, so a
 * budget sums exactly and Redis can add it atomically. cents/Mtok × tokens is micro-cents already.
 */
export const microCents = (price: Price, usage: TokenUsage) => Math.ceil(usage.input_tokens * price.input_cents_per_mtok + usage.output_tokens * price.output_cents_per_mtok);
export const toCents = (micro: number) => micro / 1e6;
export const toMicroCents = (cents: number) => Math.round(cents * 1e6);

// Tokens per message the wire format adds (role markers), and characters per token, on the low side:
// English runs near 4 characters a token, so 3 over-counts, which is what a worst case must do.
const MESSAGE_OVERHEAD_TOKENS = 8;
const CHARS_PER_TOKEN = 3;

/** A conservative count of a text's tokens from its characters, for when the provider does not say. */
export const estimateTokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

/** A conservative count of the prompt's tokens, from its characters, before the provider says. */
export function estimateInputTokens(messages: string[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m) + MESSAGE_OVERHEAD_TOKENS, 0);
}

/** What a call can cost at most: every prompt token and every allowed output token. */
export const worstCaseMicroCents = (price: Price, inputTokens: number, maxTokens: number) => microCents(price, { input_tokens: inputTokens, output_tokens: maxTokens });

/** What a call cost in US cents by the repo's price table; null for a model the table does not know. */
export function costCents(model: string, usage: TokenUsage): number | null {
  const price = listPrice(model);
  return price ? toCents(microCents(price, usage)) : null;
}
