import type { TranscriptEvent } from "@/server/inbox/transcript";

/** "Waiting 4 min", "Waiting 2 h 5 min", "Waiting 3 days": how long a visitor has waited for a person. */
export function waitingFor(since: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 1) return "Waiting <1 min";
  if (minutes < 60) return `Waiting ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `Waiting ${hours} h ${minutes % 60} min` : `Waiting ${hours} h`;
  const days = Math.floor(hours / 24);
  return `Waiting ${days} ${days === 1 ? "day" : "days"}`;
}

/** A status change in words, with who did it: "Ann took the conversation". */
export function eventWords(e: TranscriptEvent): string {
  switch (e.event) {
    case "handoff_requested":
      return "The bot handed over: waiting for an agent";
    case "taken":
      return `${e.actor} took the conversation`;
    case "released":
      return e.resume_state ? `${e.actor} handed back to the bot at "${e.resume_state}"` : `${e.actor} handed back to the bot`;
    case "resolved":
      return `${e.actor} resolved the conversation`;
    case "reopened":
      return e.actor === "end user" ? "The visitor wrote again: the conversation reopened" : `${e.actor} reopened the conversation`;
    case "away_timeout":
      return "Nobody was available: the bot took over again";
    case "note":
      return `Internal note by ${e.actor}`;
  }
}

export const agentName = (agent: { name: string | null; email: string }) => agent.name ?? agent.email;

export const CHANNEL_LABELS: Record<string, string> = { web: "Web", whatsapp: "WhatsApp", slack: "Slack", messenger: "Messenger" };
