import net from "node:net";

export type Reply = { status: number; body: string };

const HEADER_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");

/**
 * One keep-alive HTTP/1.1 connection that sends one request at a time, like a wrk/autocannon client.
 * The load generator shares the 2 CPUs with the server it measures, so it avoids node:http's per-request
 * machinery (agents, header objects, streams) and spends its CPU on little more than a socket write.
 */
export class KeepAliveConnection {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly port: number,
    private readonly host = "127.0.0.1",
  ) {}

  post(path: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Reply> {
    if (this.pending) return Promise.reject(new Error("a request is already in flight on this connection"));
    const socket = this.connect();
    const head = [`POST ${path} HTTP/1.1`, `host: ${this.host}:${this.port}`, "connection: keep-alive", `content-length: ${Buffer.byteLength(body)}`];
    for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
      this.pending = { resolve, reject, timer };
      socket.write(`${head.join("\r\n")}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    // Events of a socket that has since been replaced must not touch the current request.
    socket.on("data", (chunk: Buffer) => {
      if (socket !== this.socket) return;
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse();
    });
    socket.on("error", (e) => socket === this.socket && this.fail(e));
    socket.on("close", () => socket === this.socket && this.fail(new Error("connection closed")));
    this.buffer = Buffer.alloc(0);
    this.socket = socket;
    return socket;
  }

  private fail(error: Error): void {
    this.close();
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private parse(): void {
    const headerEnd = this.buffer.indexOf(HEADER_END);
    if (headerEnd < 0) return;
    const head = this.buffer.subarray(0, headerEnd).toString("latin1");
    const status = Number(head.slice(9, 12));
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
    let body: Buffer | null;
    let consumed: number;
    if (lengthMatch) {
      const length = Number(lengthMatch[1]);
      consumed = headerEnd + 4 + length;
      body = this.buffer.length >= consumed ? this.buffer.subarray(headerEnd + 4, consumed) : null;
    } else if (chunked) {
      try {
        ({ body, consumed } = dechunk(this.buffer, headerEnd + 4));
      } catch (e) {
        return this.fail(e as Error);
      }
    } else {
      return this.fail(new Error("response without content-length or chunked encoding"));
    }
    if (!body) return;
    this.buffer = this.buffer.subarray(consumed);
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.resolve({ status, body: body.toString("utf8") });
  }
}

/** The body of a complete chunked message starting at `offset`, or null while more bytes are needed. */
function dechunk(buffer: Buffer, offset: number): { body: Buffer | null; consumed: number } {
  const parts: Buffer[] = [];
  let at = offset;
  for (;;) {
    const lineEnd = buffer.indexOf(CRLF, at);
    if (lineEnd < 0) return { body: null, consumed: 0 };
    const size = Number.parseInt(buffer.subarray(at, lineEnd).toString("latin1"), 16);
    if (Number.isNaN(size)) throw new Error("malformed chunk size");
    const dataStart = lineEnd + 2;
    if (size === 0) {
      // No trailers are sent by the server: the message ends with an empty line.
      if (buffer.length < dataStart + 2) return { body: null, consumed: 0 };
      return { body: Buffer.concat(parts), consumed: dataStart + 2 };
    }
    if (buffer.length < dataStart + size + 2) return { body: null, consumed: 0 };
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}
