"use client";
import { useRouter } from "next/navigation";
import type { inferRouterOutputs } from "@trpc/server";
import { ConfirmButton } from "@/components/confirm-button";
import { api } from "@/lib/trpc-client";
import type { AppRouter } from "@/server/trpc/root";
import { formatDay, ROLE_LABELS } from "./labels";

type Member = inferRouterOutputs<AppRouter>["team"]["members"][number];

export function MembersTable({ members }: { members: Member[] }) {
  const router = useRouter();
  return (
    <table>
      <thead><tr><th>Email</th><th>Role</th><th>Joined</th><th aria-label="Actions" /></tr></thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.userId} data-testid="member-row">
            <td style={{ overflowWrap: "anywhere" }}>{m.email}{m.you ? <span className="muted"> (you)</span> : null}</td>
            <td>{ROLE_LABELS[m.role]}</td>
            <td>{formatDay(m.joinedAt)}</td>
            <td>
              {m.removable ? (
                <ConfirmButton
                  label="Remove"
                  question={`Remove ${m.email} from the workspace?`}
                  confirmLabel="Remove"
                  testId="remove-member"
                  onConfirm={async () => {
                    await api.team.remove.mutate({ userId: m.userId });
                    router.refresh();
                  }}
                />
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
