"use client";
import { useEffect, useState } from "react";
import { api } from "@/lib/trpc-client";

type TenantOption = { id: string; name: string; role: string };

export function TenantSwitcher() {
  const [tenants, setTenants] = useState<TenantOption[]>([]);
  const [current, setCurrent] = useState<string>("");
  useEffect(() => {
    Promise.all([api.tenant.list.query(), api.tenant.current.query()])
      .then(([list, cur]) => {
        setTenants(list);
        setCurrent(cur.id);
      })
      .catch(() => setTenants([]));
  }, []);
  if (tenants.length === 0) return null;
  return (
    <select
      aria-label="Workspace"
      data-testid="tenant-switcher"
      value={current}
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
