/**
 * Sent-digest records and unsubscriptions on one better-sqlite3 connection
 * (DigestStore in ../types.ts), within one owner's: two accounts may have
 * profiles of the same name, and each has its own history and unsubscribes.
 */
import type Database from 'better-sqlite3';
import { rowToDigest, type DigestRow } from '../rows.ts';
import type { DigestChannel, DigestRecord, DigestStore } from '../types.ts';
import { OWNER, type Owner } from './accounts.ts';

export class SqliteDigests implements DigestStore {
  constructor(
    private readonly db: Database.Database,
    private readonly owner: Owner = undefined,
  ) {}

  private get o(): number | null {
    return this.owner ?? null;
  }

  async reserveDigest(
    d: { profile: string; channel: DigestChannel; windowFrom: string; windowTo: string; by: string },
    now: string,
  ): Promise<{ reserved: boolean; record: DigestRecord }> {
    return this.db
      .transaction(() => {
        const find = () =>
          this.db
            .prepare(`SELECT * FROM digests WHERE owner_id = ${OWNER} AND profile = ? AND channel = ? AND window_from = ? AND window_to = ?`)
            .get(this.o, d.profile, d.channel, d.windowFrom, d.windowTo) as DigestRow | undefined;
        const existing = find();
        if (existing && existing.state !== 'failed') return { reserved: false, record: rowToDigest(existing) };
        if (existing) {
          this.db
            .prepare(`UPDATE digests SET state = 'sending', reserved_by = ?, reserved_at = ?, error = NULL WHERE id = ?`)
            .run(d.by, now, existing.id);
        } else {
          this.db
            .prepare(
              `INSERT INTO digests(owner_id, profile, channel, window_from, window_to, state, reserved_by, reserved_at) VALUES (${OWNER}, ?, ?, ?, ?, 'sending', ?, ?)`,
            )
            .run(this.o, d.profile, d.channel, d.windowFrom, d.windowTo, d.by, now);
        }
        return { reserved: true, record: rowToDigest(find()!) };
      })
      .immediate();
  }

  async finishDigest(
    id: number,
    outcome: { state: 'sent'; items: number; messageId?: string } | { state: 'failed' | 'unknown'; error: string },
    now: string,
  ): Promise<void> {
    if (outcome.state === 'sent') {
      this.db
        .prepare(`UPDATE digests SET state = 'sent', sent_at = ?, items = ?, message_id = ?, error = NULL WHERE id = ? AND owner_id = ${OWNER}`)
        .run(now, outcome.items, outcome.messageId ?? null, id, this.o);
    } else {
      this.db.prepare(`UPDATE digests SET state = ?, error = ? WHERE id = ? AND owner_id = ${OWNER}`).run(outcome.state, outcome.error, id, this.o);
    }
  }

  async listDigests(opts: { profile?: string; limit?: number }): Promise<DigestRecord[]> {
    const rows = this.db
      .prepare(`SELECT * FROM digests WHERE owner_id = ${OWNER} AND (? IS NULL OR profile = ?) ORDER BY id DESC LIMIT ?`)
      .all(this.o, opts.profile ?? null, opts.profile ?? null, opts.limit ?? 50);
    return (rows as DigestRow[]).map(rowToDigest);
  }

  async setUnsubscribed(profile: string, channel: DigestChannel, unsubscribed: boolean, now: string): Promise<void> {
    if (unsubscribed) {
      this.db
        .prepare(`INSERT INTO digest_unsubscribes(owner_id, profile, channel, at) VALUES (${OWNER}, ?, ?, ?) ON CONFLICT DO NOTHING`)
        .run(this.o, profile, channel, now);
    } else {
      this.db.prepare(`DELETE FROM digest_unsubscribes WHERE owner_id = ${OWNER} AND profile = ? AND channel = ?`).run(this.o, profile, channel);
    }
  }

  async isUnsubscribed(profile: string, channel: DigestChannel): Promise<boolean> {
    return !!this.db.prepare(`SELECT 1 FROM digest_unsubscribes WHERE owner_id = ${OWNER} AND profile = ? AND channel = ?`).get(this.o, profile, channel);
  }
}
