import type { TokenUsage } from "../flows/ports";
import prices from "./prices.json";

type Price = { input_cents_per_mtok: number; output_cents_per_mtok: number };
const table: Record<string, Price> = prices.models;
// Longest first, so "gpt-4o-mini-2024-07-18" is priced as gpt-4o-mini, not gpt-4o.
const names = Object.keys(table).sort((a, b) => b.length - a.length);

export const PRICE_TABLE_VERSION = prices.version;

/**
 * What a call cost in US cents by the repo's price table, from the model id the provider answered with
 * ("openai:gpt-4o-mini-2024-07-18"); null for a model the table does not know (a self-hosted one), never a guess.
 */
export function costCents(model: string, usage: TokenUsage): number | null {
  const id = model.slice(model.indexOf(":") + 1);
  const name = names.find((n) => id === n || id.startsWith(`${n}-`));
  if (!name) return null;
  const price = table[name]!;
  return Math.round(((usage.input_tokens * price.input_cents_per_mtok + usage.output_tokens * price.output_cents_per_mtok) / 1e6) * 1e6) / 1e6;
}
