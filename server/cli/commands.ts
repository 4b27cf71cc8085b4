import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Db } from "@/db/client";
import { CHANNEL_TYPES, PLANS } from "@/db/schema";
import { hashPassword } from "../auth/passwords";
import { emailSchema, passwordSchema } from "../auth/schemas";
import { upsertChannel } from "../channels/channel-service";
import { CHANNEL_SCHEMAS } from "../channels/channel-settings";
import { AppError } from "../errors/app-error";
import { summarizeIssues } from "../errors/zod-messages";
import { createFlow, publishFlow } from "../flow-store/flow-service";
import { createApiKey } from "../tenants/api-keys";
import { createTenantWithOwner } from "../tenants/tenant-service";

/** `{ "--flag": message }`, the first problem of each flag, in the words of server/errors/zod-messages.ts. */
export function flagDetails(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) details[`--${String(issue.path[0] ?? "").replace(/_/g, "-")}`] ??= issue.message;
  return details;
}

function parse<T extends z.ZodType>(schema: T, flags: Record<string, string>): z.infer<T> {
  const r = schema.safeParse(flags);
  if (!r.success) throw new AppError("VALIDATION_ERROR", summarizeIssues(r.error), flagDetails(r.error));
  return r.data;
}

const tenantFlag = z.object({ tenant: z.uuid().meta({ title: "Tenant ID" }) });
const yesNo = (title: string) => z.enum(["true", "false"]).meta({ title });

/** Each command's flags (parsed from `--some-flag value`); exported so every one's wording is tested. */
export const FLAG_SCHEMAS = {
  "tenant create": z.object({ name: z.string().min(2).meta({ title: "Company name" }), email: emailSchema, password: passwordSchema, plan: z.enum(PLANS).meta({ title: "Plan" }).default("starter") }),
  "apikey create": tenantFlag.extend({ name: z.string().meta({ title: "Key name" }).default("CLI") }),
  "flow import": tenantFlag.extend({ file: z.string().min(1).meta({ title: "File" }), name: z.string().meta({ title: "Flow name" }).optional(), publish: yesNo("Publish").default("false") }),
  "channel set": tenantFlag.extend({ type: z.enum(CHANNEL_TYPES).meta({ title: "Channel type" }), enabled: yesNo("Enabled").optional() }).catchall(z.string()),
};

export const COMMANDS: Record<string, (db: Db, flags: Record<string, string>) => Promise<unknown>> = {
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
      else settings[k] = k === "allowed_origins" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v;
    }
    const view = await upsertChannel(db, tenant, null, { type, enabled: enabled === undefined ? true : enabled === "true", settings, secrets });
    return { tenant_id: tenant, type: view.type, enabled: view.enabled, settings: view.settings, secrets: view.secretHints, public_key: view.publicKey };
  },
};

export const USAGE = `Usage: npm run cli -- <command> [--flags]
  tenant create --name N --email E --password P [--plan starter|professional|enterprise]
  apikey create --tenant ID [--name N]
  flow import --tenant ID --file F.json [--name N] [--publish]
  channel set --tenant ID --type web|whatsapp|slack|messenger [--enabled true|false] [--<setting> value ...]
    web:       --title --welcome-message --brand-color --position --allowed-origins a,b
    whatsapp:  --phone-number-id --business-account-id --api-base-url --access-token --app-secret --verify-token
    slack:     --team-id --api-base-url --bot-token --signing-secret
    messenger: --page-id --api-base-url --page-access-token --app-secret --verify-token`;
