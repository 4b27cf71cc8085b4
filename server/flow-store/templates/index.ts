import { z } from "zod";
import type { FlowDefinitionInput } from "../../flows/flow-schema";
import { blankFlow } from "./blank";
import { customerSupport } from "./customer-support";
import { faq } from "./faq";
import { humanHandoff } from "./human-handoff";
import { leadCapture } from "./lead-capture";

export const templateIdSchema = z.enum(["customer_support", "lead_capture", "faq", "human_handoff"]);
export type TemplateId = z.infer<typeof templateIdSchema>;

type Template = { name: string; description: string; definition: FlowDefinitionInput };

const TEMPLATES: Record<TemplateId, Template> = {
  customer_support: {
    name: "Customer support",
    description: "Answers \"where is my order?\" by looking the order number up in your order system, and passes the visitor to a person on request.",
    definition: customerSupport,
  },
  lead_capture: {
    name: "Lead capture",
    description: "Asks for name, email, phone and budget, and sends them to your CRM or a webhook.",
    definition: leadCapture,
  },
  faq: {
    name: "FAQ with AI fallback",
    description: "Fixed answers to your frequent questions; your AI model answers anything else.",
    definition: faq,
  },
  human_handoff: {
    name: "Human handoff",
    description: "Greets visitors and passes them to your team as soon as they ask for a person.",
    definition: humanHandoff,
  },
};

/** What the "Start from" choice lists. */
export function listTemplates(): { id: TemplateId; name: string; description: string }[] {
  return templateIdSchema.options.map((id) => ({ id, name: TEMPLATES[id].name, description: TEMPLATES[id].description }));
}

/** A fresh copy, so a caller that edits it changes no other flow. */
export function templateDefinition(id: TemplateId | undefined): FlowDefinitionInput {
  return structuredClone(id ? TEMPLATES[id].definition : blankFlow);
}
