/** Inbox links for a chart's bar or a table's row (the inbox reads these query parameters as its filters). */
export function inboxHref(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  return `/dashboard/inbox?${query}`;
}

export function transcriptHref(conversationId: string): string {
  return `/dashboard/inbox/${encodeURIComponent(conversationId)}`;
}
