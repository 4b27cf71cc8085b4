"use client";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "@/components/confirm-button";
import { api } from "@/lib/trpc-client";

export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      label="Revoke"
      question={`Revoke "${name}"? Anything using it stops working within 10 seconds.`}
      confirmLabel="Revoke key"
      testId="revoke"
      onConfirm={async () => {
        await api.apiKeys.revoke.mutate({ id });
        router.refresh();
      }}
    />
  );
}
