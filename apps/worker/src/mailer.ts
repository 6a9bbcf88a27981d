import nodemailer from "nodemailer";

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Where e-mail goes; absent when SMTP is not configured (notifications stay in-app only). */
export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** An SMTP mailer from a URL such as smtp://user:pass@host:587 (nodemailer's transport). */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}
