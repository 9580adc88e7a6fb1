/** Machine-generated TL;DRs (table paper_tldrs, migration 4). */
import type { Pool } from 'pg';
import type { Tldr, TldrStore } from '../types.ts';
import { rowToTldr, type TldrRow } from '../rows.ts';
import { rows } from './db.ts';


export class PgTldrs implements TldrStore {
  constructor(private readonly pool: Pool) {}

  async getTldrs(pks: number[]): Promise<Map<number, Tldr>> {
    const out = new Map<number, Tldr>();
    if (pks.length === 0) return out;
    for (const r of await rows<TldrRow>(this.pool, 'SELECT * FROM paper_tldrs WHERE pk = ANY($1::int[])', [pks])) {
      out.set(r.pk, rowToTldr(r));
    }
    return out;
  }

  async putTldr(pk: number, t: { model: string; text?: string; error?: string }, now: string): Promise<void> {
    // A paper merged away meanwhile has no row to point at: nothing to record.
    await this.pool.query(
      `INSERT INTO paper_tldrs (pk, model, text, error, attempts, updated_at)
       SELECT $1, $2, $3, $4, 1, $5 WHERE EXISTS (SELECT 1 FROM papers WHERE pk = $1)
       ON CONFLICT (pk) DO UPDATE SET
         model = CASE WHEN excluded.text IS NOT NULL THEN excluded.model ELSE paper_tldrs.model END,
         text = coalesce(excluded.text, paper_tldrs.text),
         error = excluded.error,
         attempts = paper_tldrs.attempts + 1,
         updated_at = excluded.updated_at`,
      [pk, t.model, t.text ?? null, t.text !== undefined ? null : (t.error ?? null), now],
    );
  }
}
