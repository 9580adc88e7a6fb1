/**
 * SQLite side of SettingsStore (../types/settings.ts): delivery settings per
 * profile, followed sources; both within the owner's (`owner`, see accounts.ts).
 */
import type Database from 'better-sqlite3';
import type { DeliverySettings, SettingsStore, SourceKind, SourceRecord } from '../types.ts';
import { rowToDelivery, rowToSource, type DeliveryRow, type SourceRow } from '../settings-rows.ts';
import { OWNER, type Owner } from './accounts.ts';

const SELECT_DELIVERY = 'SELECT p.name AS profile, d.* FROM profile_delivery d JOIN profiles p ON p.profile_id = d.profile_id';

export class SqliteSettings implements SettingsStore {
  constructor(
    private readonly db: Database.Database,
    private readonly owner: Owner = undefined,
  ) {}

  async getDelivery(profile: string): Promise<DeliverySettings | undefined> {
    const r = this.db.prepare(`${SELECT_DELIVERY} WHERE p.owner_id = ${OWNER} AND p.name = ?`).get(this.owner ?? null, profile) as DeliveryRow | undefined;
    return r && rowToDelivery(r);
  }

  async putDelivery(profile: string, s: DeliverySettings, now: string): Promise<boolean> {
    const p = this.db.prepare(`SELECT profile_id FROM profiles WHERE owner_id = ${OWNER} AND name = ?`).get(this.owner ?? null, profile) as
      | { profile_id: number }
      | undefined;
    if (!p) return false;
    this.db
      .prepare(
        `INSERT INTO profile_delivery(profile_id, email, cadence, weekday, webhook_url, item_limit, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(profile_id) DO UPDATE SET email = excluded.email, cadence = excluded.cadence, weekday = excluded.weekday,
           webhook_url = excluded.webhook_url, item_limit = excluded.item_limit, updated_at = excluded.updated_at`,
      )
      .run(p.profile_id, JSON.stringify(s.email), s.cadence, s.weekday, s.webhookUrl ?? null, s.limit, now);
    return true;
  }

  async listDeliveries(): Promise<(DeliverySettings & { profile: string })[]> {
    const rows = this.db.prepare(`${SELECT_DELIVERY} WHERE p.owner_id = ${OWNER} ORDER BY p.name`).all(this.owner ?? null) as DeliveryRow[];
    return rows.map((r) => ({ profile: r.profile, ...rowToDelivery(r) }));
  }

  async addSource(s: { kind: SourceKind; category: string; backfillDays: number }, now: string): Promise<{ source: SourceRecord; created: boolean }> {
    const info = this.db
      .prepare(`INSERT INTO sources(owner_id, kind, category, backfill_days, added_at) VALUES (${OWNER}, ?, ?, ?, ?) ON CONFLICT(owner_id, kind, category) DO NOTHING`)
      .run(this.owner ?? null, s.kind, s.category, s.backfillDays, now);
    const row = this.db.prepare(`SELECT * FROM sources WHERE owner_id = ${OWNER} AND kind = ? AND category = ?`).get(this.owner ?? null, s.kind, s.category) as SourceRow;
    return { source: rowToSource(row), created: info.changes > 0 };
  }

  async listSources(): Promise<SourceRecord[]> {
    return (this.db.prepare(`SELECT * FROM sources WHERE owner_id = ${OWNER} ORDER BY kind, category`).all(this.owner ?? null) as SourceRow[]).map(rowToSource);
  }

  async listAllSources(): Promise<SourceRecord[]> {
    return (this.db.prepare('SELECT * FROM sources ORDER BY kind, category, source_id').all() as SourceRow[]).map(rowToSource);
  }

  async removeSource(kind: SourceKind, category: string): Promise<boolean> {
    return this.db.prepare(`DELETE FROM sources WHERE owner_id = ${OWNER} AND kind = ? AND category = ?`).run(this.owner ?? null, kind, category).changes > 0;
  }

  async recordSourceRun(ids: number[], o: { at: string; error?: string; added?: number }): Promise<void> {
    const stmt = o.error
      ? this.db.prepare('UPDATE sources SET last_run_at = ?, last_error = ? WHERE source_id = ?')
      : this.db.prepare('UPDATE sources SET last_run_at = ?, last_success_at = ?, last_error = NULL, last_added = ? WHERE source_id = ?');
    this.db.transaction(() => {
      for (const id of ids) {
        if (o.error) stmt.run(o.at, o.error, id);
        else stmt.run(o.at, o.at, o.added ?? 0, id);
      }
    })();
  }

  async setSourceBackfillJob(id: number, key: string): Promise<void> {
    this.db.prepare('UPDATE sources SET backfill_job = ? WHERE source_id = ?').run(key, id);
  }
}
