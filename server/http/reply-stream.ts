import { sseEvent } from "../channels/widget-events";
import type { BotMessage, TurnStreamEvent, TurnStreamSink } from "../flows/engine";

export type ReplyStreamOptions<R> = {
  /** Runs the turn, streaming it into the sink; resolves once the turn is stored. */
  run: (onEvent: TurnStreamSink) => Promise<R>;
  /** Every reply of the stored turn, in order (the ones the turn did not stream are sent from here). */
  messagesOf: (result: R) => BotMessage[];
  /** The `done` event's data: the body a client that does not stream gets. */
  done: (result: R) => unknown;
  /** The `error` event's data when the turn fails after the stream has begun. */
  failed: (error: unknown) => { code: string; message: string };
};

const encoder = new TextEncoder();

/**
 * A turn as server-sent events: `token` ({ index, delta }) as the model writes, `message` ({ index, message })
 * for each complete reply, `error` ({ code, message }) when a reply's stream broke or the turn failed,
 * and `done` once the turn is stored. Each event is enqueued as it happens, never batched.
 *
 * Resolves with the stream as soon as the turn says something or ends; rejects with the turn's error if it
 * fails before saying anything, so the caller answers with the ordinary error envelope and status.
 */
export function openReplyStream<R>(options: ReplyStreamOptions<R>): Promise<ReadableStream<Uint8Array>> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  // The visitor may leave mid-turn; the turn still runs to its commit, with nobody to write to.
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (open = false),
  });
  const write = (event: string, data: unknown) => {
    if (open) controller.enqueue(encoder.encode(sseEvent(event, data)));
  };
  const end = () => {
    if (open) controller.close();
    open = false;
  };

  let sent = 0;
  let spoke!: () => void;
  const spoken = new Promise<void>((resolve) => (spoke = resolve));
  const onEvent = (event: TurnStreamEvent) => {
    spoke();
    if (event.type === "token") write("token", { index: event.index, delta: event.delta });
    else if (event.type === "error") write("error", { index: event.index, code: event.code, message: event.message });
    else {
      write("message", { index: event.index, message: event.message });
      sent = Math.max(sent, event.index + 1);
    }
  };

  const turn = options.run(onEvent);
  turn.then(
    (result) => {
      options.messagesOf(result).forEach((message, index) => {
        if (index >= sent) write("message", { index, message });
      });
      write("done", options.done(result));
      end();
    },
    (error: unknown) => {
      write("error", options.failed(error));
      end();
    },
  );
  return Promise.race([spoken, turn]).then(() => stream);
}
