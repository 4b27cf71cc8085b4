import { z } from "zod";
import { carouselItemSchema } from "./flow-schema";

export const botMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string(), quick_replies: z.array(z.string()).optional() }),
  z.object({ type: z.literal("carousel"), text: z.string(), items: z.array(carouselItemSchema) }),
  z.object({ type: z.literal("handoff"), text: z.string(), queue: z.string().optional() }),
]);
export type BotMessage = z.infer<typeof botMessageSchema>;
