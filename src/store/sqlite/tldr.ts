/** Machine-generated TL;DRs (table paper_tldrs, migration 4). */
import type Database from 'better-sqlite3';
import type { Tldr, TldrStore } from '../types.ts';
import { rowToTldr, type TldrRow } from '../rows.ts';



export class SqliteTldrs implements TldrStore {
  constructor(private readonly db: Database.Database) {}

  async getTldrs(pks: number[]): Promise<Map<number, Tldr>> {
    const out = new Map<number, Tldr>();
    for (let i = 0; i < pks.length; i += 500) {
      const part = pks.slice(i, i + 500);
      const rows = this.db.prepare(`SELECT * FROM paper_tldrs WHERE pk IN (${part.map(() => '?').join(',')})`).all(...part) as TldrRow[];
      for (const r of rows) out.set(r.pk, rowToTldr(r));
    }
    return out;
  }

  async putTldr(pk: number, t: { model: string; text?: string; error?: string }, now: string): Promise<void> {
    // A failure keeps a text already there (from an earlier model run) and counts the attempt.
    this.db
      .prepare(
        `INSERT INTO paper_tldrs (pk, model, text, error, attempts, updated_at) VALUES (?, ?, ?, ?, 1, ?)
         ON CONFLICT (pk) DO UPDATE SET
           model = CASE WHEN excluded.text IS NOT NULL THEN excluded.model ELSE paper_tldrs.model END,
           text = coalesce(excluded.text, paper_tldrs.text),
           error = excluded.error,
           attempts = paper_tldrs.attempts + 1,
           updated_at = excluded.updated_at`,
      )
      .run(pk, t.model, t.text ?? null, t.text !== undefined ? null : (t.error ?? null), now);
  }
}
