import { z } from "zod";

export const userInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({
    type: z.enum(["image", "file"]),
    url: z.string(),
    mime_type: z.string().optional(),
    caption: z.string().optional(),
    filename: z.string().optional(),
    size_bytes: z.number().optional(),
  }),
  z.object({ type: z.literal("location"), latitude: z.number(), longitude: z.number(), name: z.string().optional() }),
]);
export type UserInput = z.infer<typeof userInputSchema>;
