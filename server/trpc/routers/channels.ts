import { z } from "zod";
import { CHANNEL_TYPES } from "@/db/schema";
import { revealChannelSecret, rotateIdentitySecret } from "../../channels/channel-secrets";
import { channelUpdateSchema, getChannel, listChannels, upsertChannel } from "../../channels/channel-service";
import { adminProcedure, router, tenantProcedure } from "../init";

export const channelsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listChannels(ctx.db, ctx.tenant.id)),
  get: tenantProcedure.input(z.object({ type: z.enum(CHANNEL_TYPES).meta({ title: "Channel" }) })).query(({ ctx, input }) => getChannel(ctx.db, ctx.tenant.id, input.type)),
  update: adminProcedure.input(channelUpdateSchema).mutation(({ ctx, input }) => upsertChannel(ctx.db, ctx.tenant.id, ctx.userId, input)),
  /** The web widget's secret for user_hash, shown on "Show"; a mutation, since every reveal is audit-logged. */
  identitySecret: adminProcedure.mutation(async ({ ctx }) => ({ identity_secret: await revealChannelSecret(ctx.db, ctx.tenant.id, ctx.userId, "web", "identity_secret") })),
  rotateIdentitySecret: adminProcedure.mutation(({ ctx }) => rotateIdentitySecret(ctx.db, ctx.tenant.id, ctx.userId)),
  /** The verify token the tenant pastes into Meta's webhook settings (WhatsApp Cloud API, Messenger). */
  verifyToken: adminProcedure
    .input(z.object({ type: z.enum(["whatsapp", "messenger"]).meta({ title: "Channel" }) }))
    .mutation(async ({ ctx, input }) => ({ verify_token: await revealChannelSecret(ctx.db, ctx.tenant.id, ctx.userId, input.type, "verify_token") })),
});
