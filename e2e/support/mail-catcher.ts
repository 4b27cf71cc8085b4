import { SMTPServer } from "smtp-server";

type CaughtMail = { to: string[]; raw: string };

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A real SMTP server on loopback that keeps what the app sends, so journeys can click emailed links. */
export async function startMailCatcher(port: number) {
  const mails: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: decodeQuotedPrintable(Buffer.concat(chunks).toString("utf8")) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    /** The newest link to `to` whose URL contains `path`, waiting for the mail to arrive; `after` skips older mails. */
    async waitForLink(to: string, path: string, opts: { after?: number; timeoutMs?: number } = {}): Promise<string> {
      const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
      while (Date.now() < deadline) {
        const matching = mails.slice(opts.after ?? 0).filter((m) => m.to.includes(to.toLowerCase()));
        for (const mail of matching.reverse()) {
          const link = mail.raw.match(new RegExp(`https?://[^\\s"<>]*${path}[^\\s"<>]*`))?.[0];
          if (link) return link.replace(/&amp;/g, "&");
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`No mail to ${to} with a ${path} link arrived`);
    },
    count: () => mails.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
