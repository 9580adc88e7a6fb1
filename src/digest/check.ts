/**
 * Start-up check of the digest configuration against the database: a profile
 * with delivery settings (`profiles.NAME.digest`) that the database does not
 * have would fail its digest every morning. The configuration file cannot be
 * validated against the database by the schema (it is read before the store
 * is opened, and profiles may be created after the file was written), so the
 * job runtime runs this once when it starts and reports what it finds.
 */
import type { RadarConfig } from '../config/schema.ts';
import type { ProfileStore } from '../store/types.ts';

/** One line per configured digest profile missing from the database, naming it and what to do. */
export async function missingDigestProfiles(config: RadarConfig, store: Pick<ProfileStore, 'getProfile'>): Promise<string[]> {
  const problems: string[] = [];
  for (const name of Object.keys(config.profiles)) {
    if (await store.getProfile(name)) continue;
    problems.push(
      `profiles.${name}.digest: there is no profile named "${name}" in the database; its digests fail (the other profiles' are sent) until it is created (radar profile create ${name} …) or the entry is removed`,
    );
  }
  return problems;
}
