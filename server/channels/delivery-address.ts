import { z } from "zod";

/**
 * Where the replies of a conversation that came in through a messaging-channel webhook go. Stored on the
 * conversation (delivery_address) and copied onto each outbox row, so agent replies reach the same place.
 */
export const deliveryAddressSchema = z.object({
  /** The channels row the webhook arrived on. */
  channel_id: z.uuid(),
  /** The platform's address of the end user: a WhatsApp number (wa_id), a Slack channel id, a Messenger PSID. */
  recipient: z.string().min(1).max(200),
  /** Slack: the thread to answer in (thread_ts of the visitor's message or its own ts). */
  thread_id: z.string().max(200).optional(),
  /** WhatsApp bridge: the business number the visitor wrote to (`from` of the reply). */
  from: z.string().max(200).optional(),
});
export type DeliveryAddress = z.infer<typeof deliveryAddressSchema>;
