import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { TranscriptView } from "@/components/inbox/transcript-view";
import { serverApi } from "@/lib/server-api";

type Params = { params: Promise<{ conversationId: string }> };

/** One load per request for the title and the page; another workspace's conversation (or a malformed id) is a 404. */
const loadTranscript = cache(async (conversationId: string) => {
  const api = await serverApi();
  try {
    return await api.inbox.get({ conversationId });
  } catch (e) {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const transcript = await loadTranscript((await params).conversationId);
  return { title: `${transcript.conversation.end_user_label} · Inbox` };
}

export default async function ConversationPage({ params }: Params) {
  const { conversationId } = await params;
  const api = await serverApi();
  const renderedAt = new Date().toISOString();
  // The transcript first: another workspace's conversation must be a 404, whichever other read would fail first.
  const transcript = await loadTranscript(conversationId);
  const [resume, agents, tenant, replayTargets] = await Promise.all([
    api.inbox.states({ conversationId }),
    api.inbox.agents(),
    api.tenant.current(),
    api.flowTests.replayTargets({ conversationId }),
  ]);
  const me = agents.find((a) => a.you);
  return <TranscriptView initial={transcript} meId={me?.user_id ?? ""} resume={resume} renderedAt={renderedAt} canSaveTestCase={tenant.role !== "member"} replayTargets={replayTargets} />;
}
