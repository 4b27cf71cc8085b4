export const NAV_ITEMS = [
  { href: "/dashboard", label: "Overview" },
  { href: "/dashboard/inbox", label: "Inbox" },
  { href: "/dashboard/analytics", label: "Analytics" },
  { href: "/dashboard/channels", label: "Channels" },
  { href: "/dashboard/flows", label: "Flows" },
  { href: "/dashboard/models", label: "AI models" },
  { href: "/dashboard/team", label: "Team" },
  { href: "/dashboard/api-keys", label: "API keys" },
  { href: "/dashboard/account", label: "Account" },
  { href: "/docs/api", label: "API docs" },
] as const;

/** Overview is current only on itself; a section also while on its sub-pages (/dashboard/flows/…). */
export function isCurrent(pathname: string | null, href: string): boolean {
  if (!pathname) return false;
  if (href === "/dashboard") return pathname === href;
  return pathname === href || pathname.startsWith(`${href}/`);
}
