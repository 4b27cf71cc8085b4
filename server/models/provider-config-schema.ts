import { z } from "zod";
import { PROVIDER_KINDS } from "@/db/schema";
import { reachableUrl } from "../security/outbound-url";

const blankAsMissing = z.literal("").transform(() => undefined);
/** Optional, with an empty form field read as missing; the label stays on the outer schema too. */
const optionalField = <T extends z.ZodType>(schema: T) => schema.optional().or(blankAsMissing).meta(schema.meta() ?? {});

const provider = z.enum(PROVIDER_KINDS).meta({ title: "Provider" });
const name = z.string().trim().min(1).max(60).meta({ title: "Name" });
const model = z.string().trim().min(1).max(100).meta({ title: "Model" });
/** Further models the same connection serves, which a routing chain may name; `model` is its first. */
const models = z.array(model).max(20).default([]).meta({ title: "Models" });
// A URL our servers would refuse to call is refused when typed, not when the bot first needs it.
const baseUrl = optionalField(z.string().trim().url("Use a full URL like https://llm.example.com/v1").superRefine(reachableUrl).meta({ title: "Base URL" }));
const apiKey = z.string().trim().min(1).max(500).meta({ title: "API key" });
/** On an edit (or a test of one) a blank key means "keep the stored key". */
const replacementKey = optionalField(apiKey);
/** What `models.testDraft` returned for these values, so saving them keeps the result. */
const testReceipt = z.string().max(2000).meta({ title: "Connection test" }).optional();

/** The fields one at a time, for entries that are not a form (the CLI's flags). */
export const connectionFields = { provider, name, model, baseUrl, apiKey };

const needsBaseUrl = { path: ["baseUrl"], message: "An OpenAI-compatible server needs its base URL" };
const hasBaseUrl = (v: { provider: string; baseUrl?: string }) => v.provider !== "openai_compatible" || Boolean(v.baseUrl);
/** A connection's models after its first, each once: what the `models` column holds. */
export const furtherModels = <T extends { model: string; models: string[] }>(v: T): T => ({ ...v, models: [...new Set(v.models)].filter((m) => m !== v.model) });

export const providerConfigInputSchema = z
  .object({ provider, name, model, models, baseUrl, apiKey, isDefault: z.boolean().default(false).meta({ title: "Use as default" }), testReceipt })
  .refine(hasBaseUrl, needsBaseUrl)
  .transform(furtherModels);
export type ProviderConfigInput = z.infer<typeof providerConfigInputSchema>;

/** The provider of a saved model stays; its key is provider-specific, so another provider is a new model. */
export const providerConfigUpdateSchema = z.object({ id: z.uuid(), name, model, models, baseUrl, apiKey: replacementKey, testReceipt }).transform(furtherModels);
export type ProviderConfigUpdate = z.infer<typeof providerConfigUpdateSchema>;

/** Form values to test before saving; with `id`, an edit of that saved model (a blank key keeps its key). */
export const connectionDraftSchema = z
  .object({ id: z.uuid().optional(), provider, model, baseUrl, apiKey: replacementKey })
  .refine(hasBaseUrl, needsBaseUrl)
  .refine((v) => v.id || v.apiKey, { path: ["apiKey"], message: "Enter the API key to test the connection" });
export type ConnectionDraft = z.infer<typeof connectionDraftSchema>;
