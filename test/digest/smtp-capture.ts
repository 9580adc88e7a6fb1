/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it
 * receives, parsed with mailparser, so tests read the mail a user would get.
 * `failNext` makes the next transaction fail with an SMTP error code.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { onTestFinished } from 'vitest';

export interface CapturedMail {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
}

export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  private server!: SMTPServer;
  port = 0;
  private failures = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The next `n` messages are refused with a 451 (temporary failure) after DATA. */
  failNext(n = 1) {
    this.failures = n;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.failures > 0) {
            this.failures--;
            const err = new Error('mailbox busy, try later') as Error & { responseCode: number };
            err.responseCode = 451;
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((parsed) => {
            this.messages.push({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              raw,
              parsed,
            });
            callback();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function smtpCapture(): Promise<SmtpCapture> {
  const s = await new SmtpCapture().start();
  onTestFinished(() => s.close());
  return s;
}

/** Every http(s) link in a mail's HTML part. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}
