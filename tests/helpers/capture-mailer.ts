import type { Mail, Mailer } from "@/server/email/mailer";

export function createCaptureMailer(): Mailer & { sent: Mail[]; lastLinkTo(email: string): string } {
  const sent: Mail[] = [];
  return {
    sent,
    async send(mail) {
      sent.push(mail);
    },
    lastLinkTo(email) {
      const mail = [...sent].reverse().find((m) => m.to === email);
      const link = mail?.text.match(/https?:\/\/\S+/)?.[0];
      if (!link) throw new Error(`No mail with a link was sent to ${email}`);
      return link;
    },
  };
}
