/**
 * Mail settings as the app shows and changes them: the SMTP server (from the
 * configuration file, or set here and kept in the database) and a test mail
 * that says plainly whether the server took it.
 */
import { defaultConfig } from '../config/load.ts';
import { smtpMailer } from '../digest/deliver.ts';
import { effectiveSmtp, redactSmtpUrl, saveSmtp, SmtpInputError, storedSmtp } from '../digest/smtp-settings.ts';
import type { AppContext } from './context.ts';
import { badRequest } from './errors.ts';

export interface MailView {
  /** What digests use; the URL with its password hidden. */
  effective: { url?: string; from: string; origin: 'config' | 'database' | 'none' };
  /** What the page stored (the password hidden), kept even while the file overrides it. */
  stored?: { url: string; from: string; updatedAt: string };
}

export async function mailView(ctx: AppContext): Promise<MailView> {
  const config = ctx.config ?? defaultConfig();
  const eff = await effectiveSmtp(ctx.store, config);
  const stored = await storedSmtp(ctx.store);
  return {
    effective: { ...(eff.url ? { url: redactSmtpUrl(eff.url) } : {}), from: eff.from, origin: eff.origin },
    ...(stored ? { stored: { ...stored, url: redactSmtpUrl(stored.url) } } : {}),
  };
}

/**
 * Stores the page's settings. A URL whose password reads `****` (the page
 * shows it redacted) keeps the stored password, so saving the form unchanged
 * does not lose it.
 */
export async function updateMail(ctx: AppContext, input: { url?: string; from?: string }): Promise<MailView> {
  let url = (input.url ?? '').trim();
  const stored = await storedSmtp(ctx.store);
  if (stored?.url && url && url === redactSmtpUrl(stored.url)) url = stored.url;
  try {
    await saveSmtp(ctx.store, { url, from: input.from }, ctx.now());
  } catch (err) {
    if (err instanceof SmtpInputError) throw badRequest(err.message, err.field);
    throw err;
  }
  return mailView(ctx);
}

export interface TestMailResult {
  ok: boolean;
  /** What happened, in words. */
  message: string;
}

/** Sends a short test mail to `to` over the effective SMTP server; failures come back as words, never as a 500. */
export async function sendTestMail(ctx: AppContext, to: string): Promise<TestMailResult> {
  const address = to.trim();
  if (!/^[^<>@\s]+@[^<>@\s]+$/.test(address)) throw badRequest(`to: "${to}" is not an e-mail address`, 'to');
  const config = ctx.config ?? defaultConfig();
  const smtp = await effectiveSmtp(ctx.store, config);
  if (!smtp.url) return { ok: false, message: 'No SMTP server is set: enter one above (or smtp.url in the configuration file) first.' };
  const mailer = smtpMailer(smtp.url);
  try {
    await mailer.sendMail({
      from: smtp.from,
      to: address,
      subject: 'Paper Radar test mail',
      text: `This is a test mail from Paper Radar, sent at ${ctx.now().toISOString()} through ${redactSmtpUrl(smtp.url)}.\n\nDigests will reach you the same way.\n`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return { ok: true, message: `Test mail sent to ${address} through ${redactSmtpUrl(smtp.url)}.` };
  } catch (err) {
    const e = err as { message?: string; command?: string };
    return { ok: false, message: `The SMTP server did not take the test mail: ${e.message ?? String(err)}${e.command ? ` (during ${e.command})` : ''}` };
  } finally {
    mailer.close();
  }
}
