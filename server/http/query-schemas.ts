import { z } from "zod";
import { storable } from "./text";

/** The `{id}` path segment; parsed as an object so a bad one is reported under field `id`. */
export const conversationPathSchema = z.object({ id: z.uuid("Conversation id must be a UUID") });

export const historyQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

export const searchQuerySchema = z.object({
  q: storable(z.string({ error: "q is required" }).trim().min(1, "q is required").max(200)),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
