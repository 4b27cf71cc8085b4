"use client";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import type { ReplayTargets } from "@/server/flow-testing/replay-targets";
import type { FlowTarget } from "@/server/flow-testing/test-case-schema";
import { defaultTarget, ReplayPanelView, type ReplayState } from "./replay-panel-view";

type Props = { conversationId: string; targets: ReplayTargets | null };

/** The transcript's "Replay" action: asks the server to replay the conversation against the chosen target. */
export function ReplayConversation({ conversationId, targets }: Props) {
  const [target, setTarget] = useState<FlowTarget>(defaultTarget(targets));
  const [state, setState] = useState<ReplayState>(null);

  async function replay() {
    setState({ kind: "running" });
    try {
      setState({ kind: "done", report: await api.flowTests.replay.query({ conversationId, target }) });
    } catch (err) {
      setState({ kind: "failed", message: describeError(err).message });
    }
  }

  function choose(next: FlowTarget) {
    setTarget(next);
    // A diff shown under another target's name would mislead.
    setState(null);
  }

  return <ReplayPanelView targets={targets} target={target} state={state} onTarget={choose} onReplay={() => void replay()} />;
}
