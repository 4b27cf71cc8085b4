import { z } from "zod";
import { createProviderConfig, deleteProviderConfig, listProviderConfigs, providerConfigInputSchema } from "../../models/provider-configs";
import { createApiKey, listApiKeys, revokeApiKey } from "../../tenants/api-keys";
import { adminProcedure, router, tenantProcedure } from "../init";

export const modelsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listProviderConfigs(ctx.db, ctx.tenant.id)),
  create: adminProcedure.input(providerConfigInputSchema).mutation(({ ctx, input }) => createProviderConfig(ctx.db, ctx.tenant.id, ctx.userId, input)),
  remove: adminProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => deleteProviderConfig(ctx.db, ctx.tenant.id, ctx.userId, input.id)),
});

export const apiKeysRouter = router({
  list: tenantProcedure.query(({ ctx }) => listApiKeys(ctx.db, ctx.tenant.id)),
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1, "Name is required").max(60) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.tenant.id, ctx.userId, input.name)),
  revoke: adminProcedure.input(z.object({ id: z.uuid() })).mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.tenant.id, ctx.userId, input.id)),
});
