/**
 * Profiles, profile papers and feedback on PostgreSQL (tables from migration 1).
 *
 * Feedback is written with single-statement upserts, never read-modify-write,
 * so two processes recording reactions at once both land. Writes of rows that
 * point at a paper first take the paper-writers' lock in shared mode: an
 * import merging that paper away waits for them (and then moves them to the
 * survivor) instead of deleting a row committed halfway through the merge.
 */
import type { Pool } from 'pg';
import { mulberry32 } from '../../text/random.ts';
import type { FeedbackAction, FeedbackEntry, Profile, ProfilePaperLink, ProfileSettings, ProfileStore, StoredPaper } from '../types.ts';
import { owner as ownerIs, type Owner } from './accounts.ts';
import { one, rows, storable } from './db.ts';
import { PAPER_COLUMNS, rowToPaper, SHARED_PAPER_LOCK, type PaperRow } from './papers.ts';

interface ProfileRow {
  profile_id: number;
  name: string;
  settings: ProfileSettings;
  created_at: string;
  updated_at: string;
}

function toProfile(r: ProfileRow): Profile {
  return { profileId: r.profile_id, name: r.name, settings: r.settings, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Profiles are looked up within their owner's (accounts.ts); papers and feedback by the profile id such a lookup returned. */
export class PgProfiles implements ProfileStore {
  constructor(
    private readonly pool: Pool,
    private readonly owner: Owner = undefined,
  ) {}

  async createProfile(name: string, settings: ProfileSettings, now: string): Promise<Profile> {
    const r = await one<ProfileRow>(
      this.pool,
      `INSERT INTO profiles (owner_id, name, settings, created_at, updated_at) VALUES (${ownerIs(4)}, $1, $2::jsonb, $3, $3)
       ON CONFLICT (owner_id, name) DO NOTHING RETURNING *`,
      [name, JSON.stringify(storable(settings)), now, this.owner ?? null],
    );
    if (!r) throw new Error(`profile "${name}" already exists`);
    return { ...toProfile(r), settings };
  }

  async getProfile(name: string): Promise<Profile | undefined> {
    const r = await one<ProfileRow>(this.pool, `SELECT * FROM profiles WHERE name = $1 AND owner_id = ${ownerIs(2)}`, [name, this.owner ?? null]);
    return r && toProfile(r);
  }

  async listProfiles(): Promise<(Profile & { papers: number })[]> {
    const list = await rows<ProfileRow & { papers: number }>(
      this.pool,
      `SELECT p.*, (SELECT count(*) FROM profile_papers pp WHERE pp.profile_id = p.profile_id) AS papers
       FROM profiles p WHERE p.owner_id = ${ownerIs(1)} ORDER BY p.name`,
      [this.owner ?? null],
    );
    return list.map((r) => ({ ...toProfile(r), papers: r.papers }));
  }

  async updateProfileSettings(profileId: number, settings: ProfileSettings, now: string): Promise<Profile | undefined> {
    const r = await one<ProfileRow>(
      this.pool,
      `UPDATE profiles SET settings = $2::jsonb, updated_at = $3 WHERE profile_id = $1 AND owner_id = ${ownerIs(4)} RETURNING *`,
      [profileId, JSON.stringify(storable(settings)), now, this.owner ?? null],
    );
    return r && toProfile(r);
  }

  async deleteProfile(profileId: number): Promise<boolean> {
    return ((await this.pool.query(`DELETE FROM profiles WHERE profile_id = $1 AND owner_id = ${ownerIs(2)}`, [profileId, this.owner ?? null])).rowCount ?? 0) > 0;
  }

  async addProfilePapers(profileId: number, links: { pk: number; origin: string }[], now: string): Promise<number> {
    if (links.length === 0) return 0;
    // Earlier links win over later ones for the same paper, as with one-by-one INSERT OR IGNORE.
    const r = await one<{ n: number }>(
      this.pool,
      `WITH guard AS (${SHARED_PAPER_LOCK}),
       ins AS (
         INSERT INTO profile_papers (profile_id, pk, origin, added_at)
         SELECT $1, u.pk, u.origin, $4 FROM guard, unnest($2::int[], $3::text[]) WITH ORDINALITY AS u(pk, origin, ord)
         ORDER BY u.ord
         ON CONFLICT (profile_id, pk) DO NOTHING RETURNING 1),
       touch AS (UPDATE profiles SET updated_at = $4 WHERE profile_id = $1 AND EXISTS (SELECT 1 FROM ins))
       SELECT count(*) AS n FROM ins`,
      [profileId, links.map((l) => l.pk), links.map((l) => storable(l.origin)), now],
    );
    return r!.n;
  }

  async removeProfilePapers(profileId: number, pks: number[]): Promise<number> {
    if (pks.length === 0) return 0;
    return (await this.pool.query('DELETE FROM profile_papers WHERE profile_id = $1 AND pk = ANY($2::int[])', [profileId, pks])).rowCount ?? 0;
  }

  async profilePapers(profileId: number): Promise<ProfilePaperLink[]> {
    const list = await rows<{ pk: number; origin: string; added_at: string }>(
      this.pool,
      'SELECT pk, origin, added_at FROM profile_papers WHERE profile_id = $1 ORDER BY added_at, pk',
      [profileId],
    );
    return list.map((r) => ({ pk: r.pk, origin: r.origin, addedAt: r.added_at }));
  }

  async addFeedback(profileId: number, pk: number, action: FeedbackAction, now: string): Promise<void> {
    await this.pool.query(
      `WITH guard AS (${SHARED_PAPER_LOCK})
       INSERT INTO feedback (profile_id, pk, action, at) SELECT $1, $2, $3, $4 FROM guard
       ON CONFLICT (profile_id, pk, action) DO UPDATE SET at = excluded.at`,
      [profileId, pk, action, now],
    );
  }

  async removeFeedback(profileId: number, pk: number, action: FeedbackAction): Promise<boolean> {
    const r = await this.pool.query('DELETE FROM feedback WHERE profile_id = $1 AND pk = $2 AND action = $3', [profileId, pk, action]);
    return (r.rowCount ?? 0) > 0;
  }

  async feedback(profileId: number): Promise<FeedbackEntry[]> {
    return rows<FeedbackEntry>(this.pool, 'SELECT pk, action, at FROM feedback WHERE profile_id = $1 ORDER BY at, pk', [profileId]);
  }

  /**
   * The same draw as SQLite's (probe random points of the pk range, take the
   * first pk at or after each), with the probes sent in batches rather than
   * one query each.
   */
  async samplePaperPks(n: number, seed: number): Promise<number[]> {
    const range = await one<{ lo: number | null; hi: number | null; total: number }>(
      this.pool,
      // Each bound on its own (one index step each) and the count only up to n + 1: a full count(*) reads the whole table on every fit.
      'SELECT (SELECT min(pk) FROM papers) AS lo, (SELECT max(pk) FROM papers) AS hi, (SELECT count(*) FROM (SELECT 1 FROM papers LIMIT $1) AS s)::int AS total',
      [n + 1],
    );
    if (!range || !range.total || range.lo === null || range.hi === null) return [];
    if (range.total <= n) return (await rows<{ pk: number }>(this.pool, 'SELECT pk FROM papers ORDER BY pk')).map((r) => r.pk);
    const rand = mulberry32(seed);
    const picked = new Set<number>();
    const maxTries = n * 20;
    let tries = 0;
    while (picked.size < n && tries < maxTries) {
      // Enough probes for what is still missing (plus slack for repeats); the loop below stops where SQLite's would.
      const batch = Math.min(maxTries - tries, Math.max(64, (n - picked.size) * 2));
      const points = Array.from({ length: batch }, () => range.lo! + Math.floor(rand() * (range.hi! - range.lo! + 1)));
      const found = await rows<{ ord: number; pk: number | null }>(
        this.pool,
        `SELECT a.ord, (SELECT pk FROM papers WHERE pk >= a.at ORDER BY pk LIMIT 1) AS pk
         FROM unnest($1::int[]) WITH ORDINALITY AS a(at, ord) ORDER BY a.ord`,
        [points],
      );
      for (const r of found) {
        if (picked.size >= n) break;
        tries++;
        if (r.pk !== null) picked.add(r.pk);
      }
    }
    return [...picked].sort((a, b) => a - b);
  }

  async undatedPapers(opts: { addedFrom: string; addedTo: string; limit: number }): Promise<StoredPaper[]> {
    const list = await rows<PaperRow>(
      this.pool,
      `SELECT ${PAPER_COLUMNS} FROM papers p
       WHERE p.listing_date IS NULL AND p.added_at >= $1 AND p.added_at < $2 ORDER BY p.added_at, p.pk LIMIT $3`,
      [opts.addedFrom, opts.addedTo, opts.limit],
    );
    return list.map(rowToPaper);
  }
}
