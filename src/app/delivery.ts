/**
 * A profile's delivery settings as the app shows and changes them: e-mail
 * address, cadence (daily, weekly, off), webhook, and the RSS/Atom links.
 * Stored in the database; a `profiles.NAME.digest` entry in the
 * configuration file overrides them (and the answer says so).
 */
import { z } from 'zod';
import { feedUrls } from '../digest/model.ts';
import { publicUrl } from '../digest/public-url.ts';
import { DEFAULT_DELIVERY, digestSettings, type EffectiveDigestSettings } from '../digest/settings.ts';
import { feedToken, resolveSecret } from '../digest/tokens.ts';
import { defaultConfig } from '../config/load.ts';
import { effectiveSmtp } from '../digest/smtp-settings.ts';
import type { DeliverySettings, DigestChannel } from '../store/types.ts';
import type { AppContext } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import { asHttp } from './feeds.ts';

export interface RequestAddress {
  protocol: string;
  host?: string;
}

export interface DeliveryView {
  profile: string;
  /** What the app stored (defaults when nothing yet). */
  stored: DeliverySettings;
  /** What digests actually use: the configuration file's entry when there is one. */
  effective: EffectiveDigestSettings;
  /** True when the configuration file decides (the stored settings are kept but not used). */
  overriddenByConfig: boolean;
  feeds: { rss: string; atom: string };
  /** Whether e-mail can go out at all (SMTP settings in the configuration or env RADAR_SMTP_URL). */
  smtpConfigured: boolean;
  /** Channels turned off from a mailed unsubscribe link; saving delivery settings turns them on again. */
  unsubscribed: DigestChannel[];
  warnings: string[];
}

const WEEKDAY = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);

/** The body of PUT /api/profiles/NAME/delivery: every field optional, absent ones keep their value. */
export const deliveryInput = z
  .object({
    email: z.union([z.array(z.string()), z.string()]).optional(),
    cadence: z.enum(['daily', 'weekly', 'off']).optional(),
    weekday: WEEKDAY.optional(),
    webhookUrl: z.union([z.string(), z.null()]).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
export type DeliveryInput = z.infer<typeof deliveryInput>;

const EMAIL = z.email();

/** Merges input into the stored settings, checking each field; throws a 400 naming the field. */
export function applyDeliveryInput(current: DeliverySettings, input: DeliveryInput): DeliverySettings {
  const next: DeliverySettings = { ...current };
  if (input.email !== undefined) {
    const list = (Array.isArray(input.email) ? input.email : input.email.split(/[,;\s]+/)).map((e) => e.trim()).filter(Boolean);
    for (const e of list) if (!EMAIL.safeParse(e).success) throw badRequest(`email: "${e}" is not an e-mail address`, 'email');
    next.email = [...new Set(list)];
  }
  if (input.cadence) next.cadence = input.cadence;
  if (input.weekday) next.weekday = input.weekday;
  if (input.limit !== undefined) next.limit = input.limit;
  if (input.webhookUrl !== undefined) {
    const url = (input.webhookUrl ?? '').trim();
    if (!url) delete next.webhookUrl;
    else {
      let ok = false;
      try {
        ok = /^https?:$/.test(new URL(url).protocol);
      } catch {
        ok = false;
      }
      if (!ok) throw badRequest(`webhookUrl: "${url}" is not an http(s) URL`, 'webhookUrl');
      next.webhookUrl = url;
    }
  }
  return next;
}

export async function deliveryView(ctx: AppContext, name: string, address?: RequestAddress): Promise<DeliveryView> {
  const config = ctx.config ?? defaultConfig();
  let effective: EffectiveDigestSettings;
  try {
    effective = await digestSettings(ctx.store, config, name);
  } catch (err) {
    throw asHttp(err);
  }
  const profile = (await ctx.store.profiles.getProfile(name))?.name ?? name;
  const stored = (await ctx.store.settings.getDelivery(profile)) ?? DEFAULT_DELIVERY;
  const secret = await resolveSecret(config.secret, ctx.store.jobs, ctx.now());
  const origin = await publicUrl(config, ctx.store.jobs, address);
  const smtpConfigured = !!(await effectiveSmtp(ctx.store, config)).url;
  const unsubscribed: DigestChannel[] = [];
  for (const ch of ['email', 'webhook'] as const) if (await ctx.store.digests.isUnsubscribed(profile, ch)) unsubscribed.push(ch);
  const warnings: string[] = [];
  if (unsubscribed.length) warnings.push(`unsubscribed from ${unsubscribed.join(' and ')} digests by a mailed link: saving these settings turns them on again`);
  if (effective.origin === 'config') warnings.push(`the configuration file sets this profile's delivery (profiles.${name}.digest); it wins over the settings here`);
  if (effective.email && !smtpConfigured) warnings.push('e-mail is set but no SMTP server is configured (the mail settings page, smtp.url or env RADAR_SMTP_URL): nothing can be mailed yet');
  if (effective.cadence !== 'off' && !effective.email && !effective.webhook) warnings.push(`cadence is ${effective.cadence} but there is no e-mail address or webhook to deliver to`);
  return {
    profile,
    stored,
    effective,
    overriddenByConfig: effective.origin === 'config',
    // A member's feed token names the account (src/digest/tokens.ts); the plain form would be the local admin's profile.
    feeds: feedUrls(origin.url, profile, feedToken(secret, profile, ctx.store.owner)),
    smtpConfigured,
    unsubscribed,
    warnings,
  };
}

export async function updateDelivery(ctx: AppContext, name: string, input: DeliveryInput, address?: RequestAddress): Promise<DeliveryView> {
  const profile = await ctx.store.profiles.getProfile(name);
  if (!profile) throw notFound(`no profile named "${name}"`);
  const current = (await ctx.store.settings.getDelivery(profile.name)) ?? DEFAULT_DELIVERY;
  const next = applyDeliveryInput(current, input);
  if (!(await ctx.store.settings.putDelivery(profile.name, next, ctx.now().toISOString()))) throw notFound(`no profile named "${name}"`);
  // Saving a delivery is asking for it: the one way a member (who has no CLI) undoes an unsubscribe link.
  if (next.cadence !== 'off') {
    const at = ctx.now().toISOString();
    if (next.email.length) await ctx.store.digests.setUnsubscribed(profile.name, 'email', false, at);
    if (next.webhookUrl) await ctx.store.digests.setUnsubscribed(profile.name, 'webhook', false, at);
  }
  return deliveryView(ctx, profile.name, address);
}
