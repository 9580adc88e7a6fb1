/**
 * Paper writes on PostgreSQL: the same upsert algorithm as SQLite
 * (load what the batch's keys point at, `planUpsert`, write the plan back in
 * one transaction), with every step batched into array parameters so a batch
 * of a thousand records costs a handful of round trips.
 *
 * Concurrency: every upsert holds one transaction-level advisory lock. Two
 * importers (in any processes) therefore merge one after the other and never
 * create the same paper twice; and `seq` values, drawn from a sequence inside
 * that lock, become visible in order, so a change-feed reader never skips a
 * write that commits late.
 */
import type { Pool, PoolClient } from 'pg';
import { contentFingerprint } from '../../paper/merge.ts';
import { foldText } from '../../paper/normalise.ts';
import { provenanceFields } from '../../paper/provenance.ts';
import type { Paper, PaperRecord } from '../../paper/types.ts';
import type { UpsertResult } from '../types.ts';
import { keysOf, planUpsert, type LoadedPaper, type PlannedPaper } from '../upsert-plan.ts';
import { LOCK_NAMESPACE, LOCKS, rows, storable, tx } from './db.ts';
import { PAPER_REFERENCES } from './migrations.ts';

export async function upsertPapers(pool: Pool, input: PaperRecord[], now: string): Promise<UpsertResult> {
  const records = storable(input);
  return tx(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.papers]);
    const keys = keysOf(records);
    const keyIndex = new Map<string, number[]>();
    for (const r of await rows<{ key: string; pk: number }>(c, 'SELECT key, pk FROM paper_keys WHERE key = ANY($1::text[])', [keys])) {
      const list = keyIndex.get(r.key);
      if (list) list.push(r.pk);
      else keyIndex.set(r.key, [r.pk]);
    }
    const pks = [...new Set([...keyIndex.values()].flat())];
    const loaded: LoadedPaper[] = (
      await rows<{ pk: number; data: Paper; title_rank: number; fingerprint: string }>(
        c,
        'SELECT pk, data, title_rank, fingerprint FROM papers WHERE pk = ANY($1::int[])',
        [pks],
      )
    ).map((r) => ({ pk: r.pk, paper: r.data, titleRank: r.title_rank, fingerprint: r.fingerprint }));

    const plan = planUpsert(records, keyIndex, loaded, now);
    for (const { from, into } of plan.absorbed) await absorb(c, from, into);
    const realPk = await write(c, plan.papers);
    const pkOf = (pk: number) => realPk.get(pk) ?? pk;
    await writeProvenance(
      c,
      plan.provenance.map(({ pk, record }) => ({ pk: pkOf(pk), record })),
    );

    const idOf = new Map(plan.papers.map((p) => [pkOf(p.pk), p.paper.id]));
    const loadedId = new Map(loaded.map((l) => [l.pk, l.paper.id]));
    const outcomes = plan.outcomes.map((o) => {
      const pk = pkOf(o.pk);
      return { ...o, pk, id: idOf.get(pk) ?? loadedId.get(pk) ?? '' };
    });
    return { counts: plan.counts, outcomes };
  });
}

/** Writes planned papers and their derived rows; returns planned pk → real pk for new papers. */
async function write(c: PoolClient, papers: PlannedPaper[]): Promise<Map<number, number>> {
  const realPk = new Map<number, number>();
  const written = papers.filter((p) => p.isNew || p.changed);
  const fresh = written.filter((p) => p.isNew);
  const changed = written.filter((p) => !p.isNew);
  const cols = (list: PlannedPaper[]) => ({
    id: list.map((p) => p.paper.id),
    title: list.map((p) => p.paper.title),
    abstract: list.map((p) => p.paper.abstract),
    authors: list.map((p) => p.paper.authors.join('; ')),
    listingDate: list.map((p) => p.paper.listingDate ?? null),
    upvotes: list.map((p) => p.paper.signals.upvotes ?? null),
    data: list.map((p) => JSON.stringify(p.paper)),
    titleRank: list.map((p) => p.titleRank),
    fingerprint: list.map((p) => contentFingerprint(p.paper)),
    addedAt: list.map((p) => p.paper.addedAt),
    modifiedAt: list.map((p) => p.paper.modifiedAt),
  });

  if (changed.length) {
    const v = cols(changed);
    await c.query(
      `UPDATE papers p SET id = u.id, title = u.title, abstract = u.abstract, authors = u.authors, listing_date = u.listing_date,
         upvotes = u.upvotes, data = u.data::jsonb, title_rank = u.title_rank, fingerprint = u.fingerprint,
         modified_at = u.modified_at, seq = nextval('paper_seq')
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::int[], $10::text[], $11::text[])
         AS u(pk, id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, modified_at)
       WHERE p.pk = u.pk`,
      [
        changed.map((p) => p.pk),
        v.id,
        v.title,
        v.abstract,
        v.authors,
        v.listingDate,
        v.upvotes,
        v.data,
        v.titleRank,
        v.fingerprint,
        v.modifiedAt,
      ],
    );
    const pks = changed.map((p) => p.pk);
    await c.query('DELETE FROM paper_categories WHERE pk = ANY($1::int[])', [pks]);
    await c.query('DELETE FROM paper_authors WHERE pk = ANY($1::int[])', [pks]);
  }
  if (fresh.length) {
    const v = cols(fresh);
    const inserted = await rows<{ pk: number; id: string }>(
      c,
      `INSERT INTO papers (id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, added_at, modified_at, seq)
       SELECT u.id, u.title, u.abstract, u.authors, u.listing_date, u.upvotes, u.data::jsonb, u.title_rank, u.fingerprint,
              u.added_at, u.modified_at, nextval('paper_seq')
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[])
         WITH ORDINALITY AS u(id, title, abstract, authors, listing_date, upvotes, data, title_rank, fingerprint, added_at, modified_at, ord)
       ORDER BY u.ord
       RETURNING pk, id`,
      [v.id, v.title, v.abstract, v.authors, v.listingDate, v.upvotes, v.data, v.titleRank, v.fingerprint, v.addedAt, v.modifiedAt],
    );
    // Ids are unique, so they tie each returned pk to its planned paper whatever order RETURNING uses.
    const pkById = new Map(inserted.map((r) => [r.id, r.pk]));
    for (const p of fresh) realPk.set(p.pk, pkById.get(p.paper.id)!);
  }
  const pkOf = (p: PlannedPaper) => realPk.get(p.pk) ?? p.pk;

  const cat = { pk: [] as number[], category: [] as string[] };
  const au = { pk: [] as number[], position: [] as number[], name: [] as string[], key: [] as string[] };
  for (const p of written) {
    const pk = pkOf(p);
    for (const category of p.paper.categories) {
      cat.pk.push(pk);
      cat.category.push(category);
    }
    p.paper.authors.forEach((name, i) => {
      au.pk.push(pk);
      au.position.push(i);
      au.name.push(name);
      au.key.push(foldText(name));
    });
  }
  if (cat.pk.length) {
    await c.query(
      'INSERT INTO paper_categories (category, pk) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING',
      [cat.category, cat.pk],
    );
  }
  if (au.pk.length) {
    await c.query(
      'INSERT INTO paper_authors (pk, position, name, name_key) SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[])',
      [au.pk, au.position, au.name, au.key],
    );
  }
  const keys = { key: [] as string[], pk: [] as number[] };
  for (const p of papers) {
    for (const k of p.keys) {
      keys.key.push(k);
      keys.pk.push(pkOf(p));
    }
  }
  if (keys.key.length) {
    await c.query('INSERT INTO paper_keys (key, pk) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING', [
      keys.key,
      keys.pk,
    ]);
  }
  return realPk;
}

/**
 * One row per (paper, source kind, locator). Within a batch the rows are
 * folded the way SQLite's one-by-one upserts would leave them: a later row
 * replaces an earlier one only when what it says differs.
 */
async function writeProvenance(c: PoolClient, items: { pk: number; record: PaperRecord }[]): Promise<void> {
  const byKey = new Map<string, { pk: number; kind: string; locator: string; seenAt: string; fields: string }>();
  for (const { pk, record } of items) {
    const row = {
      pk,
      kind: record.source.kind,
      locator: record.source.locator,
      seenAt: record.source.seenAt,
      fields: JSON.stringify(provenanceFields(record)),
    };
    const key = JSON.stringify([pk, row.kind, row.locator]);
    const prev = byKey.get(key);
    if (!prev || prev.fields !== row.fields) byKey.set(key, row);
  }
  if (byKey.size === 0) return;
  const list = [...byKey.values()];
  await c.query(
    `INSERT INTO provenance (pk, kind, locator, seen_at, fields)
     SELECT u.pk, u.kind, u.locator, u.seen_at, u.fields::jsonb
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(pk, kind, locator, seen_at, fields)
     ON CONFLICT (pk, kind, locator) DO UPDATE SET seen_at = excluded.seen_at, fields = excluded.fields
     WHERE provenance.fields <> excluded.fields`,
    [list.map((r) => r.pk), list.map((r) => r.kind), list.map((r) => r.locator), list.map((r) => r.seenAt), list.map((r) => r.fields)],
  );
}

/** Moves everything that points at `from` to `into`, then deletes `from` and logs its removal. */
async function absorb(c: PoolClient, from: number, into: number): Promise<void> {
  for (const { table, keyColumns } of PAPER_REFERENCES) {
    const same = keyColumns.map((col) => `AND o.${col} = t.${col}`).join(' ');
    await c.query(
      `UPDATE ${table} t SET pk = $2 WHERE t.pk = $1 AND NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.pk = $2 ${same})`,
      [from, into],
    );
  }
  await c.query('DELETE FROM papers WHERE pk = $1', [from]);
  await c.query("INSERT INTO removed_papers (seq, pk, merged_into) VALUES (nextval('paper_seq'), $1, $2)", [from, into]);
}
