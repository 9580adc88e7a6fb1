/** PostgreSQL side of SettingsStore (../types/settings.ts); same behaviour as sqlite/settings.ts, within the owner's. */
import type { Pool } from 'pg';
import type { DeliverySettings, SettingsStore, SourceKind, SourceRecord } from '../types.ts';
import { rowToDelivery, rowToSource, type SourceRow } from '../settings-rows.ts';
import { owner as ownerIs, type Owner } from './accounts.ts';

const SELECT_DELIVERY = 'SELECT p.name AS profile, d.* FROM profile_delivery d JOIN profiles p ON p.profile_id = d.profile_id';

export class PgSettings implements SettingsStore {
  constructor(
    private readonly pool: Pool,
    private readonly owner: Owner = undefined,
  ) {}

  async getDelivery(profile: string): Promise<DeliverySettings | undefined> {
    const r = (await this.pool.query(`${SELECT_DELIVERY} WHERE p.name = $1 AND p.owner_id = ${ownerIs(2)}`, [profile, this.owner ?? null])).rows[0];
    return r && rowToDelivery(r);
  }

  async putDelivery(profile: string, s: DeliverySettings, now: string): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO profile_delivery(profile_id, email, cadence, weekday, webhook_url, item_limit, updated_at)
       SELECT profile_id, $2, $3, $4, $5, $6, $7 FROM profiles WHERE name = $1 AND owner_id = ${ownerIs(8)}
       ON CONFLICT (profile_id) DO UPDATE SET email = excluded.email, cadence = excluded.cadence, weekday = excluded.weekday,
         webhook_url = excluded.webhook_url, item_limit = excluded.item_limit, updated_at = excluded.updated_at`,
      [profile, JSON.stringify(s.email), s.cadence, s.weekday, s.webhookUrl ?? null, s.limit, now, this.owner ?? null],
    );
    return (r.rowCount ?? 0) > 0;
  }

  async listDeliveries(): Promise<(DeliverySettings & { profile: string })[]> {
    const rows = (await this.pool.query(`${SELECT_DELIVERY} WHERE p.owner_id = ${ownerIs(1)} ORDER BY p.name`, [this.owner ?? null])).rows;
    return rows.map((r) => ({ profile: r.profile as string, ...rowToDelivery(r) }));
  }

  async addSource(s: { kind: SourceKind; category: string; backfillDays: number }, now: string): Promise<{ source: SourceRecord; created: boolean }> {
    const ins = await this.pool.query(
      `INSERT INTO sources(owner_id, kind, category, backfill_days, added_at) VALUES (${ownerIs(5)}, $1, $2, $3, $4) ON CONFLICT (owner_id, kind, category) DO NOTHING`,
      [s.kind, s.category, s.backfillDays, now, this.owner ?? null],
    );
    const row = (
      await this.pool.query<SourceRow>(`SELECT * FROM sources WHERE kind = $1 AND category = $2 AND owner_id = ${ownerIs(3)}`, [s.kind, s.category, this.owner ?? null])
    ).rows[0];
    return { source: rowToSource(row), created: (ins.rowCount ?? 0) > 0 };
  }

  async listSources(): Promise<SourceRecord[]> {
    return (await this.pool.query<SourceRow>(`SELECT * FROM sources WHERE owner_id = ${ownerIs(1)} ORDER BY kind, category`, [this.owner ?? null])).rows.map(rowToSource);
  }

  async listAllSources(): Promise<SourceRecord[]> {
    return (await this.pool.query<SourceRow>('SELECT * FROM sources ORDER BY kind, category, source_id')).rows.map(rowToSource);
  }

  async removeSource(kind: SourceKind, category: string): Promise<boolean> {
    return ((await this.pool.query(`DELETE FROM sources WHERE kind = $1 AND category = $2 AND owner_id = ${ownerIs(3)}`, [kind, category, this.owner ?? null])).rowCount ?? 0) > 0;
  }

  async recordSourceRun(ids: number[], o: { at: string; error?: string; added?: number }): Promise<void> {
    if (!ids.length) return;
    if (o.error) await this.pool.query('UPDATE sources SET last_run_at = $1, last_error = $2 WHERE source_id = ANY($3)', [o.at, o.error, ids]);
    else
      await this.pool.query('UPDATE sources SET last_run_at = $1, last_success_at = $1, last_error = NULL, last_added = $2 WHERE source_id = ANY($3)', [
        o.at,
        o.added ?? 0,
        ids,
      ]);
  }

  async setSourceBackfillJob(id: number, key: string): Promise<void> {
    await this.pool.query('UPDATE sources SET backfill_job = $1 WHERE source_id = $2', [key, id]);
  }
}
