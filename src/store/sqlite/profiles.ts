import type Database from 'better-sqlite3';
import { mulberry32 } from '../../text/random.ts';
import type { FeedbackAction, FeedbackEntry, Profile, ProfilePaperLink, ProfileSettings, ProfileStore, StoredPaper } from '../types.ts';
import { OWNER, type Owner } from './accounts.ts';
import { PAPER_COLUMNS, rowToPaper } from './paper-rows.ts';

interface ProfileRow {
  profile_id: number;
  name: string;
  settings: string;
  created_at: string;
  updated_at: string;
}

function toProfile(r: ProfileRow): Profile {
  return {
    profileId: r.profile_id,
    name: r.name,
    settings: JSON.parse(r.settings) as ProfileSettings,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Profiles, profile papers and feedback on one better-sqlite3 connection
 * (tables from migrations 1 and 7). Profiles are looked up within their
 * owner's (`owner`, see accounts.ts); papers and feedback by the profile id
 * such a lookup returned.
 */
export class SqliteProfiles implements ProfileStore {
  constructor(
    private readonly db: Database.Database,
    private readonly owner: Owner = undefined,
  ) {}

  async createProfile(name: string, settings: ProfileSettings, now: string): Promise<Profile> {
    const exists = this.db.prepare(`SELECT 1 FROM profiles WHERE owner_id = ${OWNER} AND name = ?`).get(this.owner ?? null, name);
    if (exists) throw new Error(`profile "${name}" already exists`);
    const info = this.db
      .prepare(`INSERT INTO profiles (owner_id, name, settings, created_at, updated_at) VALUES (${OWNER}, ?, ?, ?, ?)`)
      .run(this.owner ?? null, name, JSON.stringify(settings), now, now);
    return { profileId: Number(info.lastInsertRowid), name, settings, createdAt: now, updatedAt: now };
  }

  async getProfile(name: string): Promise<Profile | undefined> {
    const r = this.db.prepare(`SELECT * FROM profiles WHERE owner_id = ${OWNER} AND name = ?`).get(this.owner ?? null, name) as ProfileRow | undefined;
    return r ? toProfile(r) : undefined;
  }

  async listProfiles(): Promise<(Profile & { papers: number })[]> {
    const rows = this.db
      .prepare(
        `SELECT p.*, (SELECT count(*) FROM profile_papers pp WHERE pp.profile_id = p.profile_id) AS papers
         FROM profiles p WHERE p.owner_id = ${OWNER} ORDER BY p.name`,
      )
      .all(this.owner ?? null) as (ProfileRow & { papers: number })[];
    return rows.map((r) => ({ ...toProfile(r), papers: r.papers }));
  }

  async updateProfileSettings(profileId: number, settings: ProfileSettings, now: string): Promise<Profile | undefined> {
    this.db
      .prepare(`UPDATE profiles SET settings = ?, updated_at = ? WHERE profile_id = ? AND owner_id = ${OWNER}`)
      .run(JSON.stringify(settings), now, profileId, this.owner ?? null);
    const r = this.db.prepare(`SELECT * FROM profiles WHERE profile_id = ? AND owner_id = ${OWNER}`).get(profileId, this.owner ?? null) as ProfileRow | undefined;
    return r ? toProfile(r) : undefined;
  }

  async deleteProfile(profileId: number): Promise<boolean> {
    return this.db.prepare(`DELETE FROM profiles WHERE profile_id = ? AND owner_id = ${OWNER}`).run(profileId, this.owner ?? null).changes > 0;
  }

  async addProfilePapers(profileId: number, links: { pk: number; origin: string }[], now: string): Promise<number> {
    const stmt = this.db.prepare('INSERT OR IGNORE INTO profile_papers (profile_id, pk, origin, added_at) VALUES (?, ?, ?, ?)');
    const touch = this.db.prepare('UPDATE profiles SET updated_at = ? WHERE profile_id = ?');
    return this.db.transaction(() => {
      let added = 0;
      for (const l of links) added += stmt.run(profileId, l.pk, l.origin, now).changes;
      if (added) touch.run(now, profileId);
      return added;
    })();
  }

  async removeProfilePapers(profileId: number, pks: number[]): Promise<number> {
    const stmt = this.db.prepare('DELETE FROM profile_papers WHERE profile_id = ? AND pk = ?');
    return this.db.transaction(() => pks.reduce((n, pk) => n + stmt.run(profileId, pk).changes, 0))();
  }

  async profilePapers(profileId: number): Promise<ProfilePaperLink[]> {
    return (
      this.db
        .prepare('SELECT pk, origin, added_at FROM profile_papers WHERE profile_id = ? ORDER BY added_at, pk')
        .all(profileId) as { pk: number; origin: string; added_at: string }[]
    ).map((r) => ({ pk: r.pk, origin: r.origin, addedAt: r.added_at }));
  }

  async addFeedback(profileId: number, pk: number, action: FeedbackAction, now: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO feedback (profile_id, pk, action, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (profile_id, pk, action) DO UPDATE SET at = excluded.at`,
      )
      .run(profileId, pk, action, now);
  }

  async removeFeedback(profileId: number, pk: number, action: FeedbackAction): Promise<boolean> {
    return this.db.prepare('DELETE FROM feedback WHERE profile_id = ? AND pk = ? AND action = ?').run(profileId, pk, action).changes > 0;
  }

  async feedback(profileId: number): Promise<FeedbackEntry[]> {
    return this.db
      .prepare('SELECT pk, action, at FROM feedback WHERE profile_id = ? ORDER BY at, pk')
      .all(profileId) as FeedbackEntry[];
  }

  /**
   * Random pks by probing the pk range (pks are dense apart from merged-away
   * ones), so drawing a few thousand costs a few indexed lookups even at a
   * million papers, unlike `ORDER BY random()` which scans the table.
   */
  async samplePaperPks(n: number, seed: number): Promise<number[]> {
    // Each bound on its own (one index step each) and the count only up to n + 1: together in one
    // aggregate they walk the whole table, seconds at a million papers, on every fit.
    const range = this.db
      .prepare('SELECT (SELECT min(pk) FROM papers) AS lo, (SELECT max(pk) FROM papers) AS hi, (SELECT count(*) FROM (SELECT 1 FROM papers LIMIT ?)) AS total')
      .get(n + 1) as {
      lo: number | null;
      hi: number | null;
      total: number;
    };
    if (!range.total || range.lo === null || range.hi === null) return [];
    if (range.total <= n) return (this.db.prepare('SELECT pk FROM papers ORDER BY pk').all() as { pk: number }[]).map((r) => r.pk);
    const rand = mulberry32(seed);
    const picked = new Set<number>();
    const probe = this.db.prepare('SELECT pk FROM papers WHERE pk >= ? ORDER BY pk LIMIT 1');
    for (let tries = 0; picked.size < n && tries < n * 20; tries++) {
      const at = range.lo + Math.floor(rand() * (range.hi - range.lo + 1));
      const row = probe.get(at) as { pk: number } | undefined;
      if (row) picked.add(row.pk);
    }
    return [...picked].sort((a, b) => a - b);
  }

  async undatedPapers(opts: { addedFrom: string; addedTo: string; limit: number }): Promise<StoredPaper[]> {
    const rows = this.db
      .prepare(
        `SELECT ${PAPER_COLUMNS} FROM papers
         WHERE listing_date IS NULL AND added_at >= ? AND added_at < ? ORDER BY added_at, pk LIMIT ?`,
      )
      .all(opts.addedFrom, opts.addedTo, opts.limit) as Parameters<typeof rowToPaper>[0][];
    return rows.map(rowToPaper);
  }
}
