"use client";
import { api } from "@/lib/trpc-client";

export type TenantOption = { id: string; name: string; role: string };

/** The workspaces come from the server render (the dashboard layout), so the switcher is there from the first paint. */
export function TenantSwitcher({ tenants, currentId }: { tenants: TenantOption[]; currentId: string | null }) {
  if (tenants.length === 0) return null;
  return (
    <select
      aria-label="Workspace"
      data-testid="tenant-switcher"
      defaultValue={currentId ?? undefined}
      onChange={async (e) => {
        await api.tenant.switch.mutate({ tenantId: e.target.value });
        window.location.reload();
      }}
    >
      {tenants.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name} ({t.role})
        </option>
      ))}
    </select>
  );
}
