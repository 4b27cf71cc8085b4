import type { StateType } from "@/server/flows/flow-schema";

/** How each state type looks and reads in the palette and on its node: one place, so both agree. */
export const STATE_LOOK: Record<StateType, { label: string; color: string; description: string }> = {
  response: { label: "Response", color: "#2563eb", description: "Says something: text, quick replies, a carousel." },
  intent: { label: "Intent", color: "#7c3aed", description: "Recognises what the customer wants and routes by it." },
  slot_filling: { label: "Slot filling", color: "#0d9488", description: "Asks for details (email, phone, date…) and checks them." },
  integration: { label: "Integration", color: "#c2410c", description: "Calls your API and keeps parts of its answer." },
  condition: { label: "Condition", color: "#a16207", description: "Branches on values the conversation holds." },
  llm: { label: "AI answer", color: "#be185d", description: "Lets the AI model answer, following your instructions." },
  handoff: { label: "Handoff", color: "#475569", description: "Passes the conversation to a person on your team." },
};

/** The data type a palette item puts on a drag, read back by the canvas on drop. */
export const PALETTE_DRAG_TYPE = "application/x-flow-state-type";
