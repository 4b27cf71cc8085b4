export type SseEvent = { event: string; data: string; id?: string };

/**
 * An incremental text/event-stream parser: feed it decoded chunks as they arrive, in any split; each complete
 * event (blank-line terminated) is handed over once. Comments (`: keep-alive`) and `retry:` lines are skipped,
 * several `data:` lines join with newlines, and CRLF or CR line endings work like LF.
 */
export function sseParser(onEvent: (event: SseEvent) => void) {
  let buffer = "";
  let event = "message";
  let data: string[] = [];
  let id: string | undefined;

  const line = (text: string) => {
    if (text === "") {
      if (data.length) onEvent({ event, data: data.join("\n"), ...(id === undefined ? {} : { id }) });
      event = "message";
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  };

  return (chunk: string) => {
    buffer += chunk;
    // A trailing CR may be half of a CRLF split across chunks: keep it for the next chunk.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? "";
    lines.forEach(line);
  };
}

/** Reads a fetch body as server-sent events until it ends (or the signal aborts it). */
export async function readSse(body: ReadableStream<Uint8Array>, onEvent: (event: SseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const push = sseParser(onEvent);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    push(decoder.decode(value, { stream: true }));
  }
  push(decoder.decode() + "\n");
}
