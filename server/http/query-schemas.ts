import { z } from "zod";
import { storable } from "./text";

/** The `{id}` path segment; parsed as an object so a bad one is reported under field `id`. */
export const conversationPathSchema = z.object({ id: z.uuid().meta({ title: "Conversation ID" }) });

export const historyQuerySchema = z.object({
  page: z.coerce.number().meta({ title: "Page" }).int().min(1).default(1),
  page_size: z.coerce.number().meta({ title: "Page size" }).int().min(1).max(100).default(20),
});

export const searchQuerySchema = z.object({
  q: storable(z.string().meta({ title: "Search text (q)" }).trim().min(1).max(200)),
  limit: z.coerce.number().meta({ title: "Limit" }).int().min(1).max(100).default(20),
});
