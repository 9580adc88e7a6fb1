/**
 * Delivery: e-mail over SMTP (nodemailer) and JSON webhooks. Each function
 * says, when it fails, whether the message certainly did *not* go out
 * (`NotDeliveredError`: safe to retry) or might have (`MaybeDeliveredError`:
 * not retried, so a digest is never sent twice). See send.ts.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Digest } from './model.ts';
import type { RenderedEmail } from './render-email.ts';

export class NotDeliveredError extends Error {
  override name = 'NotDeliveredError';
}
export class MaybeDeliveredError extends Error {
  override name = 'MaybeDeliveredError';
}

export type Mailer = Pick<Transporter, 'sendMail' | 'close'>;

export function smtpMailer(url: string): Mailer {
  return nodemailer.createTransport(url);
}

/**
 * Stable per digest: if a copy ever does go out twice, mail clients can fold them by Message-ID.
 * Another account's profile of the same name sends another digest, with its own id.
 */
export function digestMessageId(d: Pick<Digest, 'profile' | 'window' | 'owner'>, from: string): string {
  const who = d.owner === undefined ? '' : `u${d.owner}\n`;
  const h = createHash('sha1').update(`${who}${d.profile}\n${d.window.from}\n${d.window.to}`).digest('hex').slice(0, 20);
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'paper-radar.local';
  return `<digest.${h}@${domain}>`;
}

// SMTP stages before the message body is handed over: a failure there means nothing was delivered.
const BEFORE_DATA = new Set(['CONN', 'GREETING', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'AUTH', 'AUTH PLAIN', 'AUTH LOGIN', 'MAIL FROM', 'RCPT TO']);
const NOT_SENT_CODES = new Set(['ECONNECTION', 'EDNS', 'EAUTH', 'ENOAUTH', 'EENVELOPE', 'ETLS', 'EPROTOCOL', 'ECONNREFUSED']);

export async function sendEmail(
  mailer: Mailer,
  m: { from: string; to: string[]; email: RenderedEmail; digest: Digest },
): Promise<{ messageId: string; accepted: string[] }> {
  const messageId = digestMessageId(m.digest, m.from);
  try {
    const info = await mailer.sendMail({
      from: m.from,
      to: m.to,
      subject: m.email.subject,
      text: m.email.text,
      html: m.email.html,
      messageId,
      headers: {
        // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
        'List-Unsubscribe': `<${m.digest.unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Id': `Paper Radar digest for ${m.digest.profile.replace(/[<>]/g, '')} <${m.digest.profile.replace(/[^A-Za-z0-9_.-]/g, '-')}.digest.paper-radar>`,
        'Auto-Submitted': 'auto-generated',
      },
    });
    return { messageId, accepted: (info.accepted ?? []).map(String) };
  } catch (err) {
    if (err instanceof NotDeliveredError) throw err;
    const e = err as { code?: string; command?: string; responseCode?: number; message?: string };
    const message = `SMTP: ${e.message ?? String(err)}${e.command ? ` (during ${e.command})` : ''}`;
    if (e.responseCode || (e.command && BEFORE_DATA.has(e.command)) || (e.code && NOT_SENT_CODES.has(e.code) && e.command !== 'DATA')) {
      throw new NotDeliveredError(message);
    }
    throw new MaybeDeliveredError(message);
  }
}

/**
 * POSTs the JSON once (no transparent retries: a retry after a lost response
 * could post twice). A status answer or a refused connection means not delivered.
 */
export async function postWebhook(url: string, body: unknown, opts: { userAgent: string; timeoutMs: number }): Promise<number> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': opts.userAgent },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const message = `webhook POST ${url} failed: ${(err as Error).message}${cause ? ` (${cause})` : ''}`;
    if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'EAI_AGAIN') throw new NotDeliveredError(message);
    throw new MaybeDeliveredError(message);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new NotDeliveredError(`webhook POST ${url} → ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  return res.status;
}
