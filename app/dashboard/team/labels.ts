import type { Role } from "@/db/schema";

export const ROLE_LABELS: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };

// Rendered on the server and again in the browser: a fixed locale and time zone keep both texts identical.
const DAY = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

export const formatDay = (date: Date | string): string => DAY.format(new Date(date));
