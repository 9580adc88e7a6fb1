/**
 * Where e-mail goes out: the SMTP server from the configuration file
 * (`smtp.url`, env RADAR_SMTP_URL) or, when the file names none, the one set
 * on the app's mail settings page and kept in the database (the key/value
 * state both backends have). The file wins, as it does for delivery.
 */
import type { RadarConfig } from '../config/schema.ts';
import type { Store } from '../store/types.ts';
import { NotDeliveredError, smtpMailer, type Mailer } from './deliver.ts';

const KEY = 'smtp-settings';

export interface StoredSmtp {
  url: string;
  from: string;
  updatedAt: string;
}

export interface EffectiveSmtp {
  /** Absent: nothing can be mailed. */
  url?: string;
  from: string;
  origin: 'config' | 'database' | 'none';
}

export class SmtpInputError extends Error {
  override name = 'SmtpInputError';
  constructor(
    message: string,
    readonly field: 'url' | 'from',
  ) {
    super(message);
  }
}

type StateStore = Pick<Store, 'jobs'>;

export async function storedSmtp(store: StateStore): Promise<StoredSmtp | undefined> {
  const v = (await store.jobs.getState(KEY)) as Partial<StoredSmtp> | undefined | null;
  return v && typeof v.url === 'string' && typeof v.from === 'string' ? { url: v.url, from: v.from, updatedAt: String(v.updatedAt ?? '') } : undefined;
}

export async function effectiveSmtp(store: StateStore, config: RadarConfig): Promise<EffectiveSmtp> {
  if (config.smtp.url) return { url: config.smtp.url, from: config.smtp.from, origin: 'config' };
  const stored = await storedSmtp(store);
  if (stored?.url) return { url: stored.url, from: stored.from || config.smtp.from, origin: 'database' };
  return { from: stored?.from || config.smtp.from, origin: 'none' };
}

/** Checks and stores the page's SMTP settings; an empty URL clears the server (nothing is mailed). */
export async function saveSmtp(store: StateStore, input: { url?: string; from?: string }, now: Date): Promise<StoredSmtp> {
  const url = (input.url ?? '').trim();
  const from = (input.from ?? '').trim();
  if (url) {
    let ok = false;
    try {
      const u = new URL(url);
      ok = /^smtps?:$/.test(u.protocol) && !!u.hostname;
    } catch {
      ok = false;
    }
    if (!ok) throw new SmtpInputError(`SMTP server: "${url}" is not an smtp://host:port or smtps://host:port address`, 'url');
  }
  if (from && !/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>\s*$/.test(from)) throw new SmtpInputError(`From: "${from}" holds no e-mail address (such as Paper Radar <radar@example.org>)`, 'from');
  const value: StoredSmtp = { url, from, updatedAt: now.toISOString() };
  await store.jobs.putState(KEY, value, value.updatedAt);
  return value;
}

/** A URL as shown to people: the password replaced, so a page never echoes it back. */
export function redactSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * A mailer that looks the SMTP settings up on every message, so a server set
 * on the page is used by the next scheduled digest without a restart.
 */
export function settingsMailer(store: StateStore, config: RadarConfig): Mailer {
  const open: Mailer[] = [];
  return {
    async sendMail(message: Parameters<Mailer['sendMail']>[0]) {
      const smtp = await effectiveSmtp(store, config);
      if (!smtp.url) throw new NotDeliveredError('no SMTP settings (smtp.url, env RADAR_SMTP_URL, or the mail settings page)');
      const mailer = smtpMailer(smtp.url);
      open.push(mailer);
      try {
        return await mailer.sendMail({ ...message, from: smtp.from });
      } finally {
        mailer.close();
        open.splice(open.indexOf(mailer), 1);
      }
    },
    close() {
      for (const m of open.splice(0)) m.close();
    },
  } as Mailer;
}
