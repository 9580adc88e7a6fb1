/**
 * PostgreSQL side of the sent-digest records and unsubscriptions (DigestStore
 * in ../types.ts), within one owner's, with the behaviour of ../sqlite/digests.ts.
 */
import type { Pool } from 'pg';
import { rowToDigest, type DigestRow } from '../rows.ts';
import type { DigestChannel, DigestRecord, DigestStore } from '../types.ts';
import { owner as ownerIs, type Owner } from './accounts.ts';
import { one, rows, storable } from './db.ts';

export class PgDigests implements DigestStore {
  constructor(
    private readonly pool: Pool,
    private readonly owner: Owner = undefined,
  ) {}

  private get o(): number | null {
    return this.owner ?? null;
  }

  async reserveDigest(
    d: { profile: string; channel: DigestChannel; windowFrom: string; windowTo: string; by: string },
    now: string,
  ): Promise<{ reserved: boolean; record: DigestRecord }> {
    // One statement: a new record, or a failed one taken over; the row lock of ON CONFLICT makes it atomic.
    const taken = await one<DigestRow>(
      this.pool,
      `INSERT INTO digests (owner_id, profile, channel, window_from, window_to, state, reserved_by, reserved_at)
       VALUES (${ownerIs(7)}, $1, $2, $3, $4, 'sending', $5, $6)
       ON CONFLICT (owner_id, profile, channel, window_from, window_to) DO UPDATE
         SET state = 'sending', reserved_by = excluded.reserved_by, reserved_at = excluded.reserved_at, error = NULL
         WHERE digests.state = 'failed'
       RETURNING *`,
      [d.profile, d.channel, d.windowFrom, d.windowTo, d.by, now, this.o],
    );
    if (taken) return { reserved: true, record: rowToDigest(taken) };
    const existing = await one<DigestRow>(
      this.pool,
      `SELECT * FROM digests WHERE owner_id = ${ownerIs(5)} AND profile = $1 AND channel = $2 AND window_from = $3 AND window_to = $4`,
      [d.profile, d.channel, d.windowFrom, d.windowTo, this.o],
    );
    return { reserved: false, record: rowToDigest(existing!) };
  }

  async finishDigest(
    id: number,
    outcome: { state: 'sent'; items: number; messageId?: string } | { state: 'failed' | 'unknown'; error: string },
    now: string,
  ): Promise<void> {
    if (outcome.state === 'sent') {
      await this.pool.query(
        `UPDATE digests SET state = 'sent', sent_at = $1, items = $2, message_id = $3, error = NULL WHERE id = $4 AND owner_id = ${ownerIs(5)}`,
        [now, outcome.items, outcome.messageId ?? null, id, this.o],
      );
    } else {
      await this.pool.query(`UPDATE digests SET state = $1, error = $2 WHERE id = $3 AND owner_id = ${ownerIs(4)}`, [outcome.state, storable(outcome.error), id, this.o]);
    }
  }

  async listDigests(opts: { profile?: string; limit?: number }): Promise<DigestRecord[]> {
    const list = await rows<DigestRow>(
      this.pool,
      `SELECT * FROM digests WHERE owner_id = ${ownerIs(3)} AND ($1::text IS NULL OR profile = $1) ORDER BY id DESC LIMIT $2`,
      [opts.profile ?? null, opts.limit ?? 50, this.o],
    );
    return list.map(rowToDigest);
  }

  async setUnsubscribed(profile: string, channel: DigestChannel, unsubscribed: boolean, now: string): Promise<void> {
    if (unsubscribed) {
      await this.pool.query(
        `INSERT INTO digest_unsubscribes (owner_id, profile, channel, at) VALUES (${ownerIs(4)}, $1, $2, $3) ON CONFLICT DO NOTHING`,
        [profile, channel, now, this.o],
      );
    } else {
      await this.pool.query(`DELETE FROM digest_unsubscribes WHERE owner_id = ${ownerIs(3)} AND profile = $1 AND channel = $2`, [profile, channel, this.o]);
    }
  }

  async isUnsubscribed(profile: string, channel: DigestChannel): Promise<boolean> {
    return !!(await one(this.pool, `SELECT 1 FROM digest_unsubscribes WHERE owner_id = ${ownerIs(3)} AND profile = $1 AND channel = $2`, [profile, channel, this.o]));
  }
}
