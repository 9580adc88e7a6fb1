/** PostgreSQL side of the sent-digest records and unsubscriptions (DigestStore in ../types.ts), with the behaviour of ../sqlite/digests.ts. */
import type { Pool } from 'pg';
import { rowToDigest, type DigestRow } from '../rows.ts';
import type { DigestChannel, DigestRecord, DigestStore } from '../types.ts';
import { one, rows, storable } from './db.ts';

export class PgDigests implements DigestStore {
  constructor(private readonly pool: Pool) {}

  async reserveDigest(
    d: { profile: string; channel: DigestChannel; windowFrom: string; windowTo: string; by: string },
    now: string,
  ): Promise<{ reserved: boolean; record: DigestRecord }> {
    // One statement: a new record, or a failed one taken over; the row lock of ON CONFLICT makes it atomic.
    const taken = await one<DigestRow>(
      this.pool,
      `INSERT INTO digests (profile, channel, window_from, window_to, state, reserved_by, reserved_at)
       VALUES ($1, $2, $3, $4, 'sending', $5, $6)
       ON CONFLICT (profile, channel, window_from, window_to) DO UPDATE
         SET state = 'sending', reserved_by = excluded.reserved_by, reserved_at = excluded.reserved_at, error = NULL
         WHERE digests.state = 'failed'
       RETURNING *`,
      [d.profile, d.channel, d.windowFrom, d.windowTo, d.by, now],
    );
    if (taken) return { reserved: true, record: rowToDigest(taken) };
    const existing = await one<DigestRow>(
      this.pool,
      'SELECT * FROM digests WHERE profile = $1 AND channel = $2 AND window_from = $3 AND window_to = $4',
      [d.profile, d.channel, d.windowFrom, d.windowTo],
    );
    return { reserved: false, record: rowToDigest(existing!) };
  }

  async finishDigest(
    id: number,
    outcome: { state: 'sent'; items: number; messageId?: string } | { state: 'failed' | 'unknown'; error: string },
    now: string,
  ): Promise<void> {
    if (outcome.state === 'sent') {
      await this.pool.query(`UPDATE digests SET state = 'sent', sent_at = $1, items = $2, message_id = $3, error = NULL WHERE id = $4`, [
        now,
        outcome.items,
        outcome.messageId ?? null,
        id,
      ]);
    } else {
      await this.pool.query('UPDATE digests SET state = $1, error = $2 WHERE id = $3', [outcome.state, storable(outcome.error), id]);
    }
  }

  async listDigests(opts: { profile?: string; limit?: number }): Promise<DigestRecord[]> {
    const list = await rows<DigestRow>(
      this.pool,
      'SELECT * FROM digests WHERE ($1::text IS NULL OR profile = $1) ORDER BY id DESC LIMIT $2',
      [opts.profile ?? null, opts.limit ?? 50],
    );
    return list.map(rowToDigest);
  }

  async setUnsubscribed(profile: string, channel: DigestChannel, unsubscribed: boolean, now: string): Promise<void> {
    if (unsubscribed) {
      await this.pool.query('INSERT INTO digest_unsubscribes (profile, channel, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        profile,
        channel,
        now,
      ]);
    } else {
      await this.pool.query('DELETE FROM digest_unsubscribes WHERE profile = $1 AND channel = $2', [profile, channel]);
    }
  }

  async isUnsubscribed(profile: string, channel: DigestChannel): Promise<boolean> {
    return !!(await one(this.pool, 'SELECT 1 FROM digest_unsubscribes WHERE profile = $1 AND channel = $2', [profile, channel]));
  }
}
