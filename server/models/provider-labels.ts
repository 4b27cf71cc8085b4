import type { ProviderKind } from "@/db/schema";

/** How a provider kind is named to a person; the stored value (`openai_compatible`) never is. */
export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  openai_compatible: "OpenAI-compatible server",
};

/** The host a provider's SDK calls when no base URL is saved. */
export const DEFAULT_API_HOSTS: Record<ProviderKind, string | null> = {
  openai: "api.openai.com",
  anthropic: "api.anthropic.com",
  openai_compatible: null,
};
