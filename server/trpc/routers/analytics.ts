import { z } from "zod";
import { analyticsPage } from "../../analytics/analytics-queries";
import { rebuildRollups } from "../../analytics/refresh-rollups";
import { getTenantTimeZone, timeZoneNames, updateTenantTimeZone } from "../../analytics/time-zone";
import { adminProcedure, router, tenantProcedure } from "../init";

// The range itself is checked by analyticsPage (VALIDATION_ERROR naming from/to), as it is for the REST summary.
const pageInput = z.object({
  from: z.string().max(10).meta({ title: "From date" }).optional(),
  to: z.string().max(10).meta({ title: "To date" }).optional(),
  version: z.union([z.uuid(), z.literal("starter")]).meta({ title: "Flow version" }).optional(),
});

export const analyticsRouter = router({
  page: tenantProcedure.input(pageInput).query(({ ctx, input }) => analyticsPage(ctx.db, ctx.tenant.id, { from: input.from, to: input.to, flowVersionId: input.version })),
  timeZone: tenantProcedure.query(async ({ ctx }) => ({ time_zone: await getTenantTimeZone(ctx.db, ctx.tenant.id), zones: timeZoneNames() })),
  setTimeZone: adminProcedure.input(z.object({ time_zone: z.string().trim().min(1).max(100).meta({ title: "Time zone" }) })).mutation(async ({ ctx, input }) => {
    // Every day's bounds move with the zone, so every day is counted again.
    if (await updateTenantTimeZone(ctx.db, ctx.tenant.id, ctx.userId, input.time_zone)) await rebuildRollups(ctx.db, ctx.tenant.id);
    return { time_zone: input.time_zone };
  }),
});
