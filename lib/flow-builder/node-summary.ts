import type { Operand } from "@/server/flows/flow-schema";
import type { DraftState } from "./document";

export const SUMMARY_LINES = 3;
export const SUMMARY_WIDTH = 60;

/** The first line of a text, at most SUMMARY_WIDTH characters, with an ellipsis when cut. */
export function clip(text: string): string {
  const line = (text.split("\n", 1)[0] ?? "").trim();
  return line.length <= SUMMARY_WIDTH ? line : `${line.slice(0, SUMMARY_WIDTH - 1).trimEnd()}…`;
}

const OPERATOR_WORDS: Record<string, string> = { eq: "=", neq: "≠", gt: ">", lt: "<", gte: "≥", lte: "≤", contains: "contains", in: "in" };

const operand = (value: Operand | undefined): string => (Array.isArray(value) ? `[${value.join(", ")}]` : String(value));

/** At most `max` lines: past that, the last line says how many were left out. */
function capped(lines: string[], max = SUMMARY_LINES): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max - 1), `+ ${lines.length - max + 1} more`];
}

/** What a node shows of its state: the content a person recognises it by. */
export function summarize(state: DraftState): string[] {
  const lines = ((): string[] => {
    switch (state.type) {
      case "response": {
        const { response_templates, quick_replies, carousel, end } = state.config;
        const variants = Object.keys(response_templates).length - 1;
        return [
          response_templates.default,
          ...(variants > 0 ? [`+ ${variants} variant${variants === 1 ? "" : "s"}`] : []),
          ...(quick_replies?.length ? [`Replies: ${quick_replies.join(", ")}`] : []),
          ...(carousel ? [carousel.source_slot ? `Carousel from {${carousel.source_slot}}` : `Carousel: ${carousel.items?.length ?? 0} items`] : []),
          ...(end ? ["Ends the conversation"] : []),
        ];
      }
      case "intent":
        return [`Listens for: ${state.config.intent_patterns.join(", ")}`];
      case "slot_filling": {
        const { required_slots = [], optional_slots = [] } = state.config;
        return [
          required_slots.length ? `Asks: ${required_slots.join(", ")}` : "Asks nothing yet",
          ...(optional_slots.length ? [`Optional: ${optional_slots.join(", ")}`] : []),
        ];
      }
      case "integration":
        return [`${(state.config.method ?? "GET").toUpperCase()} ${state.config.endpoint}`];
      case "condition": {
        const logic = state.config.logic ?? "and";
        const rows = state.config.conditions.map((c, i) => {
          const row = c.operator === "exists" ? `${operand(c.left)} exists` : `${operand(c.left)} ${OPERATOR_WORDS[c.operator] ?? c.operator} ${operand(c.right)}`;
          return i === 0 ? row : `${logic} ${row}`;
        });
        return rows.length ? rows : ["No conditions yet"];
      }
      case "llm":
        return [`Model: ${state.config.model || "default"}`, state.config.system_prompt];
      case "handoff":
        return [state.config.message, ...(state.config.queue ? [`Queue: ${state.config.queue}`] : [])];
    }
  })();
  return capped(lines).map(clip);
}
