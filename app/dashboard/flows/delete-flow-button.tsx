"use client";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "@/components/confirm-button";
import { api } from "@/lib/trpc-client";

export function DeleteFlowButton({ id, name, published }: { id: string; name: string; published: boolean }) {
  const router = useRouter();
  return (
    <ConfirmButton
      label="Delete"
      question={`Delete "${name}"? Its draft${published ? " and its published versions are" : " is"} removed for good.`}
      confirmLabel="Delete flow"
      testId="delete-flow"
      confirmTestId="confirm-delete-flow"
      onConfirm={async () => {
        await api.flows.delete.mutate({ flowId: id });
        router.refresh();
      }}
    />
  );
}
