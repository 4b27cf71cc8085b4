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

/**
 * The words an input carries: a text's text, a location's place name, an attachment's caption.
 * The flow reads it and the stored message keeps it, so both compute it here.
 */
export function inputText(input: UserInput): string {
  if (input.type === "text") return input.text;
  if (input.type === "location") return input.name ?? "";
  return input.caption ?? "";
}
