/**
 * A profile's digest settings as a digest run uses them. Three places can
 * say something, the first that does wins:
 *
 *  1. the configuration file (`profiles.NAME.digest`): an operator's override;
 *  2. the database (the profile page's delivery settings, `radar digest NAME --set …`);
 *  3. nothing: any profile still has a digest to preview, an RSS feed and a
 *     `--dry-run`, it just has no channel and is never sent (cadence off).
 */
import type { DigestSettings, RadarConfig } from '../config/schema.ts';
import { ProfileNotFoundError } from '../profile/feed.ts';
import type { Cadence, DeliverySettings, DigestChannel, Store } from '../store/types.ts';

export interface EffectiveDigestSettings extends DigestSettings {
  /** Whether scheduled digests go out, and how often. */
  cadence: Cadence;
  /** Where these settings came from. */
  origin: 'config' | 'database' | 'default';
}

export const DEFAULT_DELIVERY: DeliverySettings = { email: [], cadence: 'off', weekday: 'mon', limit: 10 };

export function fromDelivery(d: DeliverySettings): EffectiveDigestSettings {
  return {
    frequency: d.cadence === 'weekly' ? 'weekly' : 'daily',
    weekday: d.weekday,
    limit: d.limit,
    ...(d.email.length ? { email: { to: d.email } } : {}),
    ...(d.webhookUrl ? { webhook: { url: d.webhookUrl } } : {}),
    rss: true,
    cadence: d.cadence,
    origin: 'database',
  };
}

/** The local admin's account id (the first admin), or undefined when there is no admin: the store as opened acts for it (Store.owner). */
export async function localAdminId(store: Pick<Store, 'accounts'>): Promise<number | undefined> {
  const admins = (await store.accounts.listUsers()).filter((u) => u.role === 'admin').map((u) => u.userId);
  return admins.length ? Math.min(...admins) : undefined;
}

/**
 * Whether `store` acts for the local admin: as opened, or the first admin's view (a signed-in admin).
 * The configuration file's `profiles` are the local admin's, like everything the CLI does: a member's
 * profile of the same name must not be delivered to the addresses the file names.
 */
export async function actsForLocalAdmin(store: Pick<Store, 'owner' | 'accounts'>): Promise<boolean> {
  return store.owner === undefined || store.owner === (await localAdminId(store));
}

/** The settings a digest of `profile` uses; throws ProfileNotFoundError when neither the database nor the file knows it. */
export async function digestSettings(
  store: Pick<Store, 'profiles' | 'settings' | 'owner' | 'accounts'>,
  config: RadarConfig,
  profile: string,
): Promise<EffectiveDigestSettings> {
  const fromFile = config.profiles[profile]?.digest;
  if (fromFile && (await actsForLocalAdmin(store))) return { ...fromFile, cadence: fromFile.frequency, origin: 'config' };
  if (!(await store.profiles.getProfile(profile))) throw new ProfileNotFoundError(profile);
  const stored = await store.settings.getDelivery(profile);
  return stored ? fromDelivery(stored) : { ...fromDelivery(DEFAULT_DELIVERY), origin: 'default' };
}

export function channelsOf(settings: Pick<DigestSettings, 'email' | 'webhook'>): DigestChannel[] {
  const channels: DigestChannel[] = [];
  if (settings.email) channels.push('email');
  if (settings.webhook) channels.push('webhook');
  return channels;
}

/**
 * Profiles of the store's account whose digests a scheduled run sends: those in the file (the local
 * admin's only), and those whose stored cadence is not off and that have a channel.
 */
export async function scheduledDigestProfiles(store: Pick<Store, 'settings' | 'owner' | 'accounts'>, config: RadarConfig): Promise<string[]> {
  const names = new Set((await actsForLocalAdmin(store)) ? Object.keys(config.profiles) : []);
  for (const d of await store.settings.listDeliveries()) {
    if (d.cadence !== 'off' && (d.email.length || d.webhookUrl)) names.add(d.profile);
  }
  return [...names];
}
