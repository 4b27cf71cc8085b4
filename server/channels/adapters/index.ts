import type { ChannelType } from "@/db/schema";
import type { ChannelAdapter } from "./types";

export type MessagingChannelType = Exclude<ChannelType, "web">;
export const MESSAGING_CHANNEL_TYPES = ["whatsapp", "slack", "messenger"] as const satisfies readonly MessagingChannelType[];

/** Loaded on first use, so the widget's and the API's routes do not import every platform. */
const ADAPTERS: Record<MessagingChannelType, () => Promise<ChannelAdapter>> = {
  whatsapp: async () => (await import("./whatsapp")).whatsappAdapter,
  slack: async () => (await import("./slack")).slackAdapter,
  messenger: async () => (await import("./messenger")).messengerAdapter,
};

const loaded = new Map<MessagingChannelType, Promise<ChannelAdapter>>();
/** Loaded once per process; an import that failed is forgotten, so the next webhook or send tries again. */
export const adapterFor = (type: MessagingChannelType): Promise<ChannelAdapter> => {
  let adapter = loaded.get(type);
  if (!adapter) {
    adapter = ADAPTERS[type]();
    loaded.set(type, adapter);
    adapter.catch(() => loaded.get(type) === adapter && loaded.delete(type));
  }
  return adapter;
};
export const isMessagingChannel = (type: string): type is MessagingChannelType => (MESSAGING_CHANNEL_TYPES as readonly string[]).includes(type);
