"use client";
import { useRouter } from "next/navigation";
import { api } from "@/lib/trpc-client";
import { DeleteFlowButton } from "./delete-flow-button";
import { ExportFlowButton } from "./export-flow-button";
import { FlowNameAction } from "./flow-name-action";

type Props = { flow: { id: string; name: string; live: boolean; publishedVersion: number | null }; canManage: boolean };

/** What can be done with one flow from the list; a member may only export it (and view it, through the row's link). */
export function FlowRowActions({ flow, canManage }: Props) {
  const router = useRouter();
  if (!canManage) return <ExportFlowButton flowId={flow.id} />;
  return (
    <>
      <ExportFlowButton flowId={flow.id} />
      <FlowNameAction
        label="Duplicate"
        testId="duplicate-flow"
        initialName={`${flow.name} (copy)`}
        submitLabel="Duplicate"
        onSubmit={async (name) => {
          await api.flows.duplicate.mutate({ flowId: flow.id, name });
          router.refresh();
        }}
      />
      <FlowNameAction
        label="Rename"
        testId="rename-flow"
        initialName={flow.name}
        submitLabel="Rename"
        onSubmit={async (name) => {
          await api.flows.rename.mutate({ flowId: flow.id, name });
          router.refresh();
        }}
      />
      {flow.live ? null : <DeleteFlowButton id={flow.id} name={flow.name} published={flow.publishedVersion !== null} />}
    </>
  );
}
