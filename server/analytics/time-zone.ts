import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { tenants } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { recordAudit } from "../tenants/audit";

/** Every IANA zone this runtime knows, for the picker; "UTC" first because Intl lists it only as "Etc/UTC" on some runtimes. */
export function timeZoneNames(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export async function getTenantTimeZone(db: Db, tenantId: string): Promise<string> {
  const [row] = await db.select({ timeZone: tenants.timeZone }).from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw new AppError("NOT_FOUND", "Workspace not found.");
  return row.timeZone;
}

/** Stores the zone; returns whether it changed, since a change means every rollup day must be counted again. */
export async function updateTenantTimeZone(db: Db, tenantId: string, actorUserId: string, zone: string): Promise<boolean> {
  if (!isTimeZone(zone)) throw new AppError("VALIDATION_ERROR", `"${zone}" is not a time zone we know; pick one from the list.`, { fields: { time_zone: "Unknown time zone" } });
  const previous = await getTenantTimeZone(db, tenantId);
  if (previous === zone) return false;
  await db.update(tenants).set({ timeZone: zone }).where(eq(tenants.id, tenantId));
  await recordAudit(db, { tenantId, actorUserId, action: "tenant.time_zone_changed", targetType: "tenant", targetId: tenantId, details: { from: previous, to: zone } });
  return true;
}
