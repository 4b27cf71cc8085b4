import type { ChannelAdapter } from "./types";

// Being built in this change (issue 9); replaced by the platform's adapter.
export const whatsappAdapter: ChannelAdapter = {
  authenticate() {
    throw new Error("whatsapp adapter not built yet");
  },
  parse() {
    throw new Error("whatsapp adapter not built yet");
  },
  async send() {
    throw new Error("whatsapp adapter not built yet");
  },
};
