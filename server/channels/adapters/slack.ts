import type { ChannelAdapter } from "./types";

// Being built in this change (issue 9); replaced by the platform's adapter.
export const slackAdapter: ChannelAdapter = {
  authenticate() {
    throw new Error("slack adapter not built yet");
  },
  parse() {
    throw new Error("slack adapter not built yet");
  },
  async send() {
    throw new Error("slack adapter not built yet");
  },
};
