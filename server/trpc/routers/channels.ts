import { z } from "zod";
import { CHANNEL_TYPES } from "@/db/schema";
import { channelUpdateSchema, getChannel, listChannels, upsertChannel } from "../../channels/channel-service";
import { adminProcedure, router, tenantProcedure } from "../init";

export const channelsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listChannels(ctx.db, ctx.tenant.id)),
  get: tenantProcedure.input(z.object({ type: z.enum(CHANNEL_TYPES).meta({ title: "Channel" }) })).query(({ ctx, input }) => getChannel(ctx.db, ctx.tenant.id, input.type)),
  update: adminProcedure.input(channelUpdateSchema).mutation(({ ctx, input }) => upsertChannel(ctx.db, ctx.tenant.id, ctx.userId, input)),
});
