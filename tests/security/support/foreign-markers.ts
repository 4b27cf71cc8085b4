/** Every text tenant B stores carries this word, so any of B's text in an answer to A is visible. */
export const FOREIGN_WORD = "quokka";

// Row ids, widget public keys (wk_) and API key prefixes (cbk_).
const IDENTIFIERS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b(?:wk|cbk)_[A-Za-z0-9_-]+/gi;

/** What identifies B's data: every identifier in B's stored rows, B's marker word, and secrets B holds in plaintext only. */
export function markersOf(snapshot: Record<string, string[]>, plaintextSecrets: string[]): string[] {
  const ids = Object.values(snapshot).flat().join("\n").match(IDENTIFIERS) ?? [];
  return [...new Set([...ids, FOREIGN_WORD, ...plaintextSecrets])];
}

/** B's markers found in an answer to A, leaving out those the request itself carried (an id A sent may be echoed back). */
export function leakedMarkers(markers: string[], answer: string, request: string): string[] {
  const [said, asked] = [answer.toLowerCase(), request.toLowerCase()];
  return markers.filter((m) => said.includes(m.toLowerCase()) && !asked.includes(m.toLowerCase()));
}
