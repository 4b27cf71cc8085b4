import nodemailer from "nodemailer";
import { env } from "../env";

export type Mail = { to: string; subject: string; text: string; html?: string };

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

const globalForMail = globalThis as unknown as { __mailer?: Mailer };

/** SMTP when SMTP_URL is set; otherwise the mail is printed to the server log so the demo needs no mail server. */
export function getMailer(): Mailer {
  if (globalForMail.__mailer) return globalForMail.__mailer;
  const { SMTP_URL, MAIL_FROM } = env();
  if (SMTP_URL) {
    const transport = nodemailer.createTransport(SMTP_URL);
    globalForMail.__mailer = {
      async send(mail) {
        await transport.sendMail({ from: MAIL_FROM, ...mail });
      },
    };
  } else {
    globalForMail.__mailer = {
      async send(mail) {
        console.log(`[mail] to=${mail.to} subject=${JSON.stringify(mail.subject)}\n${mail.text}\n[/mail]`);
      },
    };
  }
  return globalForMail.__mailer;
}
