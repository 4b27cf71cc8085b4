import { z } from "zod";
import { AppError } from "../../errors/app-error";
import { onboardingChecklist } from "../../tenants/onboarding";
import { findMembership, listUserTenants } from "../../tenants/tenant-service";
import { adminProcedure, protectedProcedure, router, tenantProcedure } from "../init";

export const tenantRouter = router({
  current: tenantProcedure.query(({ ctx }) => ctx.tenant),
  list: protectedProcedure.query(({ ctx }) => listUserTenants(ctx.db, ctx.userId)),
  switch: protectedProcedure.input(z.object({ tenantId: z.uuid().meta({ title: "Workspace" }) })).mutation(async ({ ctx, input }) => {
    const membership = await findMembership(ctx.db, ctx.userId, input.tenantId);
    if (!membership) throw new AppError("FORBIDDEN", "You are not a member of this workspace.");
    ctx.setActiveTenant(input.tenantId);
    return { tenantId: input.tenantId, name: membership.tenantName, role: membership.role };
  }),
  checklist: adminProcedure.query(({ ctx }) => onboardingChecklist(ctx.db, ctx.tenant.id)),
});
