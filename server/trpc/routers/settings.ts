import { z } from "zod";
import type { Db } from "@/db/client";
import type { Kv } from "../../cache/kv";
import { env } from "../../env";
import { createModel, testDraftModel, testSavedModel, updateModel, type ModelDeps } from "../../models/model-connections";
import { deleteModelPrice, modelPriceInputSchema, modelPriceRefSchema, modelPricesView, setModelPrice } from "../../models/model-prices";
import { connectionDraftSchema, providerConfigInputSchema, providerConfigUpdateSchema } from "../../models/provider-config-schema";
import { deleteProviderConfig, listProviderConfigs, setDefaultProviderConfig } from "../../models/provider-configs";
import { loadRoutingPolicy, routingPolicySchema, saveRoutingPolicy } from "../../models/routing-policy";
import { modelSpend } from "../../models/spend-queries";
import { createApiKey, listApiKeys, revokeApiKey } from "../../tenants/api-keys";
import { adminProcedure, router, tenantProcedure } from "../init";

const modelId = z.object({ id: z.uuid().meta({ title: "Model" }) });
const modelDeps = (ctx: { db: Db; kv: Kv; tenant: { id: string }; userId: string }): ModelDeps => ({ db: ctx.db, kv: ctx.kv, tenantId: ctx.tenant.id, actorUserId: ctx.userId, allowedHosts: env().OUTBOUND_ALLOWED_HOSTS });

export const modelsRouter = router({
  list: tenantProcedure.query(({ ctx }) => listProviderConfigs(ctx.db, ctx.tenant.id)),
  create: adminProcedure.input(providerConfigInputSchema).mutation(({ ctx, input }) => createModel(modelDeps(ctx), input)),
  update: adminProcedure.input(providerConfigUpdateSchema).mutation(({ ctx, input }) => updateModel(modelDeps(ctx), input)),
  setDefault: adminProcedure.input(modelId).mutation(({ ctx, input }) => setDefaultProviderConfig(ctx.db, ctx.tenant.id, ctx.userId, input.id)),
  test: adminProcedure.input(modelId).mutation(({ ctx, input }) => testSavedModel(modelDeps(ctx), input.id)),
  testDraft: adminProcedure.input(connectionDraftSchema).mutation(({ ctx, input }) => testDraftModel(modelDeps(ctx), input)),
  remove: adminProcedure.input(modelId).mutation(({ ctx, input }) => deleteProviderConfig(ctx.db, ctx.tenant.id, ctx.userId, input.id)),
  routing: tenantProcedure.query(({ ctx }) => loadRoutingPolicy(ctx.db, ctx.tenant.id)),
  saveRouting: adminProcedure.input(routingPolicySchema).mutation(({ ctx, input }) => saveRoutingPolicy(ctx.db, ctx.tenant.id, ctx.userId, input)),
  spend: tenantProcedure.query(({ ctx }) => modelSpend(ctx.db, ctx.tenant.id, new Date())),
  prices: tenantProcedure.query(({ ctx }) => modelPricesView(ctx.db, ctx.tenant.id)),
  setPrice: adminProcedure.input(modelPriceInputSchema).mutation(({ ctx, input }) => setModelPrice(ctx.db, ctx.tenant.id, ctx.userId, input)),
  deletePrice: adminProcedure.input(modelPriceRefSchema).mutation(({ ctx, input }) => deleteModelPrice(ctx.db, ctx.tenant.id, ctx.userId, input.model)),
});

export const apiKeysRouter = router({
  list: tenantProcedure.query(({ ctx }) => listApiKeys(ctx.db, ctx.tenant.id)),
  create: adminProcedure
    .input(z.object({ name: z.string().trim().min(1).max(60).meta({ title: "Key name" }) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.tenant.id, ctx.userId, input.name)),
  revoke: adminProcedure.input(z.object({ id: z.uuid().meta({ title: "API key" }) })).mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.tenant.id, ctx.userId, input.id)),
});
