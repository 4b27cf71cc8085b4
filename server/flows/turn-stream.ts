import type { BotMessage } from "./bot-message";

/**
 * What a turn tells a streaming client while it runs. `index` is the message's place in the turn's
 * messages (the final result carries every one of them, in the same order).
 * message: a reply is complete and will not be taken back. token: text of the reply at `index` as the
 * model produces it. error: that reply's stream broke after text had been sent.
 */
export type TurnStreamEvent =
  | { type: "message"; index: number; message: BotMessage }
  | { type: "token"; index: number; state: string; delta: string }
  | { type: "error"; index: number; state: string; code: typeof STREAM_INTERRUPTED_CODE; message: string };

export type TurnStreamSink = (event: TurnStreamEvent) => void;

export const STREAM_INTERRUPTED_CODE = "MODEL_STREAM_INTERRUPTED";
export const STREAM_INTERRUPTED_MESSAGE = "The answer was cut off. Please ask again.";
/** Ends a cut reply in the stored transcript, so nobody reading it later takes the partial text for a whole answer. */
export const CUT_OFF_MARKER = "[The answer was cut off here.]";

export const cutOffText = (partial: string) => `${partial.trimEnd()} … ${CUT_OFF_MARKER}`;
