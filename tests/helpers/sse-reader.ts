export type SseEvent = { event: string; data: unknown };

/** Reads server-sent events off a response body one at a time, as they arrive. */
export function sseEvents(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const ready: SseEvent[] = [];
  const parse = () => {
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
      const event = field("event");
      if (event) ready.push({ event, data: JSON.parse(field("data") ?? "null") });
    }
  };
  return {
    /** The next event; fails after `timeoutMs`, or when the stream ends first. */
    async next(timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      while (ready.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) continue;
        if (chunk.done) throw new Error("the stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
        parse();
      }
      return ready.shift()!;
    },
    /** Every event left, up to the end of the stream. */
    async rest(timeoutMs = 5000): Promise<SseEvent[]> {
      const all: SseEvent[] = [];
      for (;;) {
        try {
          all.push(await this.next(timeoutMs));
        } catch (error) {
          if ((error as Error).message === "the stream ended") return all;
          throw error;
        }
      }
    },
  };
}
