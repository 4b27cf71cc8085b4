/**
 * WhatsApp Cloud API webhook bodies as Meta sends them (entry[].changes[].value), for the tests to sign
 * and post. Shapes follow Meta's documented payloads and the real ones in our specification.
 */
export type WaMessage = Record<string, unknown> & { id: string; from: string; type: string };

const envelope = (phoneNumberId: string, value: Record<string, unknown>) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "108103725312345", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550001111", phone_number_id: phoneNumberId }, ...value } }] }],
});

/** Messages from one sender with their WhatsApp profile name. */
export function messagesWebhook(phoneNumberId: string, messages: WaMessage[], profileName = "John Doe"): string {
  const from = messages[0]?.from ?? "";
  return JSON.stringify(envelope(phoneNumberId, { contacts: [{ profile: { name: profileName }, wa_id: from }], messages }));
}

const unix = (at: Date) => String(Math.floor(at.getTime() / 1000));

export const textMessage = (id: string, from: string, body: string, at = new Date()): WaMessage => ({ id, from, timestamp: unix(at), type: "text", text: { body } });

export type WaStatus = { wamid: string; status: "sent" | "delivered" | "read" | "failed"; recipient: string; at: Date; error?: { code: number; title: string } };

/** A `statuses` callback: what happened to messages we sent. */
export function statusesWebhook(phoneNumberId: string, statuses: WaStatus[]): string {
  return JSON.stringify(
    envelope(phoneNumberId, {
      statuses: statuses.map((s) => ({
        id: s.wamid,
        status: s.status,
        timestamp: unix(s.at),
        recipient_id: s.recipient,
        ...(s.error && { errors: [{ code: s.error.code, title: s.error.title }] }),
      })),
    }),
  );
}
