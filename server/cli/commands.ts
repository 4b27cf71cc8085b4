import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Db } from "@/db/client";
import { CHANNEL_TYPES, PLANS } from "@/db/schema";
import { hashPassword } from "../auth/passwords";
import { emailSchema, passwordSchema } from "../auth/schemas";
import { widgetSnippet, webhookUrl } from "../channels/channel-links";
import { upsertChannel } from "../channels/channel-service";
import { CHANNEL_SCHEMAS } from "../channels/channel-settings";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { summarizeIssues } from "../errors/zod-messages";
import { createFlow, publishFlow } from "../flow-store/flow-service";
import { setProviderConnection } from "../models/model-connections";
import { modelPriceInputSchema, setModelPrice } from "../models/model-prices";
import { connectionFields } from "../models/provider-config-schema";
import { routingPolicySchema, saveRoutingPolicy } from "../models/routing-policy";
import { retryDeadLetters } from "../outbox/dead-letters";
import { rotateSecrets } from "../security/key-rotation";
import { runFlowTests } from "../flow-testing/flow-tests-service";
import { createApiKey } from "../tenants/api-keys";
import { createTenantWithOwner } from "../tenants/tenant-service";
import type { FlagValue } from "./args";

/** `{ "--flag": message }`, the first problem of each flag, in the words of server/errors/zod-messages.ts. */
export function flagDetails(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) details[`--${String(issue.path[0] ?? "").replace(/_/g, "-")}`] ??= issue.message;
  return details;
}

function parse<T extends z.ZodType>(schema: T, flags: Record<string, FlagValue>): z.infer<T> {
  const r = schema.safeParse(flags);
  if (!r.success) throw new AppError("VALIDATION_ERROR", summarizeIssues(r.error), flagDetails(r.error));
  return r.data;
}

const tenantFlag = z.object({ tenant: z.uuid().meta({ title: "Tenant ID" }) });
const yesNo = (title: string) => z.enum(["true", "false"]).meta({ title });
/** `a,b,c` into a list that `list` checks. */
const listFlag = <T extends z.ZodType<string[], string[]>>(list: T, title: string) =>
  z.string().meta({ title }).transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean)).pipe(list);
const numberFlag = (field: z.ZodNumber) => z.coerce.number().meta(field.meta() ?? {}).pipe(field);
const centsFlag = (field: z.ZodNullable<z.ZodNumber>) => numberFlag(field.unwrap()).optional();

/** A setting flag as its schema reads it: a list, a yes/no, or the text itself (which the schema checks in words). */
function settingValue(key: string, value: string): unknown {
  if (key === "allowed_origins") return value.split(",").map((s) => s.trim()).filter(Boolean);
  if (key === "require_verified_identity" && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Each command's flags (parsed from `--some-flag value`); exported so every one's wording is tested. */
export const FLAG_SCHEMAS = {
  "tenant create": z.object({ name: z.string().min(2).meta({ title: "Company name" }), email: emailSchema, password: passwordSchema, plan: z.enum(PLANS).meta({ title: "Plan" }).default("starter") }),
  "apikey create": tenantFlag.extend({ name: z.string().meta({ title: "Key name" }).default("CLI") }),
  "flow import": tenantFlag.extend({ file: z.string().min(1).meta({ title: "File" }), name: z.string().meta({ title: "Flow name" }).optional(), publish: yesNo("Publish").default("false") }),
  "channel set": tenantFlag.extend({ type: z.enum(CHANNEL_TYPES).meta({ title: "Channel type" }), enabled: yesNo("Enabled").optional() }).catchall(z.string()),
  "flow test": tenantFlag.extend({
    flow: z.uuid().meta({ title: "Flow ID" }),
    version: z.union([z.literal("draft"), z.literal("published"), z.coerce.number().int().min(1)]).meta({ title: "Version" }).default("draft"),
  }),
  "provider set": tenantFlag.extend({
    provider: connectionFields.provider,
    api_key: connectionFields.apiKey,
    base_url: connectionFields.baseUrl,
    models: listFlag(z.array(connectionFields.model).min(1).max(21).meta({ title: "Models" }), "Models"),
    name: connectionFields.name.optional(),
  }),
  "routing set": tenantFlag.extend({
    chain: listFlag(routingPolicySchema.shape.chain, "Model chain"),
    max_cost_cents: centsFlag(routingPolicySchema.shape.max_cost_cents),
    monthly_budget_cents: centsFlag(routingPolicySchema.shape.monthly_budget_cents),
  }),
  "price set": tenantFlag.extend({
    model: modelPriceInputSchema.shape.model,
    input_cents_per_mtok: numberFlag(modelPriceInputSchema.shape.input_cents_per_mtok),
    output_cents_per_mtok: numberFlag(modelPriceInputSchema.shape.output_cents_per_mtok),
  }),
  "keys rotate": z.object({}),
  "outbox retry": tenantFlag.extend({
    // `--id A --id B` (or `--id A,B`); none retries every unsent reply of the tenant.
    id: z
      .preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v), z.array(z.uuid().meta({ title: "Outbox message ID" })).min(1).max(1000).meta({ title: "Outbox message IDs" }))
      .optional(),
  }),
};

export const COMMANDS: Record<string, (db: Db, flags: Record<string, FlagValue>) => Promise<unknown>> = {
  async "tenant create"(db, flags) {
    const args = parse(FLAG_SCHEMAS["tenant create"], flags);
    const { tenant, user } = await createTenantWithOwner(db, { companyName: args.name, email: args.email, passwordHash: await hashPassword(args.password), plan: args.plan, verified: true });
    const key = await createApiKey(db, tenant.id, user.id, "CLI");
    return { tenant_id: tenant.id, slug: tenant.slug, plan: tenant.plan, user_id: user.id, email: user.email, api_key: key.key };
  },
  async "apikey create"(db, flags) {
    const args = parse(FLAG_SCHEMAS["apikey create"], flags);
    const key = await createApiKey(db, args.tenant, null, args.name);
    return { tenant_id: args.tenant, api_key_id: key.id, api_key: key.key };
  },
  async "flow import"(db, flags) {
    const args = parse(FLAG_SCHEMAS["flow import"], flags);
    let definition: unknown;
    try {
      definition = JSON.parse(await readFile(args.file, "utf8"));
    } catch (e) {
      throw new AppError("VALIDATION_ERROR", `Cannot read ${args.file} as JSON: ${(e as Error).message}`);
    }
    const name = args.name ?? String((definition as { name?: unknown }).name ?? "Imported flow");
    const flow = await createFlow(db, args.tenant, null, { name, definition });
    const version = args.publish === "true" ? await publishFlow(db, args.tenant, null, flow.id) : null;
    return { flow_id: flow.id, name, published_version: version?.version ?? null, flow_version_id: version?.id ?? null };
  },
  async "channel set"(db, flags) {
    const { tenant, type, enabled, ...rest } = parse(FLAG_SCHEMAS["channel set"], flags);
    const secretKeys = Object.keys(CHANNEL_SCHEMAS[type].secrets.shape);
    const settings: Record<string, unknown> = {};
    const secrets: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) {
      if (secretKeys.includes(k)) secrets[k] = v;
      else settings[k] = settingValue(k, v);
    }
    const view = await upsertChannel(db, tenant, null, { type, enabled: enabled === undefined ? true : enabled === "true", settings, secrets });
    const appUrl = env().APP_URL;
    // What the operator pastes elsewhere; secrets only as hints, since scripts log what they print.
    const paste =
      view.webhookPath === null
        ? { snippet: widgetSnippet(appUrl, view.publicKey) }
        : { webhook_url: webhookUrl(appUrl, view.webhookPath), ...(type === "whatsapp" || type === "messenger" ? { verify_token: view.secretHints.verify_token ?? null } : {}) };
    return { tenant_id: tenant, type: view.type, enabled: view.enabled, settings: view.settings, secrets: view.secretHints, public_key: view.publicKey, ...paste };
  },
  async "flow test"(db, flags) {
    const args = parse(FLAG_SCHEMAS["flow test"], flags);
    const report = await runFlowTests(db, args.tenant, null, { flowId: args.flow, target: args.version, trigger: "cli" });
    // The report is the answer either way; the exit code is what lets a tenant's CI fail on it.
    if (report.failed > 0) process.exitCode = 1;
    return report;
  },
  async "provider set"(db, flags) {
    const { tenant, api_key, base_url, ...args } = parse(FLAG_SCHEMAS["provider set"], flags);
    const { created, connection: c } = await setProviderConnection(db, tenant, { ...args, apiKey: api_key, baseUrl: base_url });
    // The key only as its hint: scripts log what they print.
    return { tenant_id: tenant, provider_config_id: c.id, created, provider: c.provider, name: c.name, models: [c.model, ...c.models], base_url: c.baseUrl, api_key_hint: c.apiKeyHint };
  },
  async "routing set"(db, flags) {
    const args = parse(FLAG_SCHEMAS["routing set"], flags);
    // `set` sets the whole policy: a limit left out is no limit.
    const policy = await saveRoutingPolicy(db, args.tenant, null, { chain: args.chain, max_cost_cents: args.max_cost_cents ?? null, monthly_budget_cents: args.monthly_budget_cents ?? null });
    return { tenant_id: args.tenant, ...policy };
  },
  async "price set"(db, flags) {
    const { tenant, ...price } = parse(FLAG_SCHEMAS["price set"], flags);
    return { tenant_id: tenant, ...(await setModelPrice(db, tenant, null, price)) };
  },
  async "keys rotate"(db, flags) {
    parse(FLAG_SCHEMAS["keys rotate"], flags);
    return rotateSecrets(db);
  },
  async "outbox retry"(db, flags) {
    const args = parse(FLAG_SCHEMAS["outbox retry"], flags);
    return { retried: await retryDeadLetters(db, args.tenant, { ids: args.id, via: "cli" }) };
  },
};

export const USAGE = `Usage: npm run cli -- <command> [--flags]
  tenant create --name N --email E --password P [--plan starter|professional|enterprise]
  apikey create --tenant ID [--name N]
  flow import --tenant ID --file F.json [--name N] [--publish]
  flow test --tenant ID --flow ID [--version N|draft|published]   (exits 1 when a test case fails)
  provider set --tenant ID --provider openai|anthropic|openai_compatible --api-key K [--base-url U] --models m1,m2 [--name N]
    (updates the tenant's connection to that provider and base URL, or connects it; the first model is its primary)
  routing set --tenant ID --chain provider:model,provider:model [--max-cost-cents N] [--monthly-budget-cents N]
    (sets the whole policy: a limit left out is none; an empty --chain "" tries every connected model)
  price set --tenant ID --model provider:model --input-cents-per-mtok N --output-cents-per-mtok N
    (the tenant's own price of a model, US cents per million tokens; a model priced nowhere is never called)
  keys rotate   (re-encrypts every stored secret under ENCRYPTION_KEY, reading old ones with ENCRYPTION_KEY_PREVIOUS)
  channel set --tenant ID --type web|whatsapp|slack|messenger [--enabled true|false] [--<setting> value ...]
    web:       --title --welcome-message --brand-color --text-color --position --avatar-url --launcher-text
               --allowed-origins a,b --require-verified-identity true|false   (prints the embed snippet)
    whatsapp:  --mode cloud|bridge --api-base-url
               cloud:  --phone-number-id --business-account-id --access-token --app-secret --verify-token
               bridge: --bridge-number --bridge-secret   (--api-base-url is the bridge's URL)
    slack:     --team-id --api-base-url --bot-token --signing-secret
    messenger: --page-id --api-base-url --page-access-token --app-secret --verify-token
    (messaging channels print webhook_url, the URL to give the platform)
  outbox retry --tenant ID [--id OUTBOX_ID ...]
    (queues the tenant's undelivered replies again, dead or failed; all of them without --id; prints { retried: N })`;
