import { getDb } from "@/server/db";
import { handleWebhook } from "@/server/channels/webhook-handler";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ type: string; channelId: string }> };

/** Every messaging channel's webhook (WhatsApp, Slack, Messenger): see server/channels/webhook-handler.ts. */
export const GET = async (req: Request, ctx: Context) => handleWebhook({ db: getDb() }, req, await ctx.params);
export const POST = async (req: Request, ctx: Context) => handleWebhook({ db: getDb() }, req, await ctx.params);
