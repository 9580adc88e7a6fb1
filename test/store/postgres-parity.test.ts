/**
 * The paper store's contract on both backends, and a parity check: the same
 * imports into SQLite and PostgreSQL must read back the same (apart from the
 * pks and seqs each engine hands out).
 */
import { describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import type { Store, StoredPaper } from '../../src/store/types.ts';
import { BACKENDS, describeEachBackend } from '../helpers/backends.ts';
import { postgresUnavailable } from '../helpers/postgres.ts';

const T0 = '2026-02-01T00:00:00.000Z';
const T1 = '2026-02-02T00:00:00.000Z';
const src = (locator: string, kind: PaperRecord['source']['kind'] = 'jsonl'): PaperRecord['source'] => ({ kind, locator, seenAt: T0 });

const LONG =
  'We revisit the terminal phase of training deep classifiers and show that last layer features collapse to their class means while the means form a simplex equiangular tight frame, and we study how weight decay and batch normalisation shape it.';

/** A corpus exercising merges, dates, categories, authors, upvotes and odd text. */
export function corpus(): PaperRecord[][] {
  return [
    [
      {
        arxivId: '2501.00001',
        title: 'Neural Collapse under Weight Decay',
        abstract: LONG,
        authors: ['Ada Lovelace', 'Alan Turing'],
        categories: ['cs.LG', 'stat.ML'],
        announced: '2026-01-05',
        signals: { upvotes: 12 },
        source: src('a.jsonl:1'),
      },
      {
        arxivId: '2501.00002',
        title: 'Latent Reasoning with Switch Tokens',
        abstract: 'Switching between latent and explicit reasoning reduces thinking length.',
        authors: ['Grace Hopper', 'José Núñez'],
        categories: ['cs.CL'],
        announced: '2026-01-06',
        signals: { upvotes: 40, organization: 'Navy' },
        source: src('a.jsonl:2'),
      },
      {
        title: 'An undated paper about Model Merging',
        authors: ['Jose Nunez'],
        source: src('a.jsonl:3', 'listing'),
      },
      {
        doi: '10.1145/3600000',
        title: 'GPT-4o and State-of-the-Art Café Benchmarks: naïve <script>alert(1)</script>',
        abstract: 'Emoji 🙂 and LaTeX $\\alpha$ in an abstract.',
        categories: ['cs.CL', 'cs.AI'],
        published: '2025-12-30',
        source: src('a.jsonl:4'),
      },
      {
        arxivId: '2501.00005',
        title: 'A paper with no upvotes',
        announced: '2026-01-05',
        categories: ['cs.LG'],
        authors: ['Ada Lovelace'],
        source: src('a.jsonl:5'),
      },
      { arxivId: '2501.00009', title: 'Something else entirely', announced: '2026-01-07', source: src('b.jsonl:1') },
    ],
    [
      // A title-less abstract, then the same abstract with a title: one paper.
      { abstract: LONG, source: src('paste.txt:1', 'listing') },
      { arxivId: '2501.00001', arxivVersion: 2, title: 'Neural Collapse under Weight Decay', signals: { upvotes: 30 }, source: src('api#1', 'arxiv-api') },
    ],
    [
      // Two stored papers shown to be one: the listing paper (the older pk, which survives) gains the arXiv id of another.
      { arxivId: '2501.00009', title: 'An undated paper about Model Merging', source: src('b.jsonl:2') },
      // Same record twice in one batch (same locator): one provenance row.
      { arxivId: '2501.00002', title: 'Latent Reasoning with Switch Tokens', source: src('a.jsonl:2') },
      { arxivId: '2501.00002', title: 'Latent Reasoning with Switch Tokens', source: src('a.jsonl:2') },
    ],
  ];
}

async function load(store: Store): Promise<{ counts: unknown[] }> {
  const counts: unknown[] = [];
  let now = Date.parse(T0);
  for (const batch of corpus()) {
    counts.push((await store.papers.upsertPapers(batch, new Date((now += 1000)).toISOString())).counts);
  }
  return { counts };
}

/** A paper without the handles each engine assigns. */
const plain = ({ pk: _pk, seq: _seq, ...p }: StoredPaper) => p;

async function snapshot(store: Store) {
  const all: StoredPaper[] = [];
  for await (const page of store.papers.scanPapers(2)) all.push(...page);
  const byId = async (id: string) => {
    const p = await store.papers.getPaper(id);
    return p && plain(p);
  };
  const ids = (r: { papers: StoredPaper[] }) => r.papers.map((p) => p.id);
  return {
    papers: all.map(plain).sort((a, b) => (a.id < b.id ? -1 : 1)),
    provenance: Object.fromEntries(await Promise.all(all.map(async (p) => [p.id, await store.papers.provenance(p.pk)] as const))),
    lookups: await Promise.all(
      ['arxiv:2501.00001', '2501.00001v2', 'https://arxiv.org/abs/2501.00009', 'doi:10.1145/3600000', 'nope'].map(byId),
    ),
    byDate: ids(await store.papers.listPapers({})),
    byDatePaged: ids(await store.papers.listPapers({ limit: 2, offset: 1 })),
    byUpvotes: ids(await store.papers.listPapers({ sort: 'upvotes' })),
    trending: ids(await store.papers.listPapers({ sort: 'trending', asOf: '2026-01-08' })),
    window: await store.papers.listPapers({ from: '2026-01-05', to: '2026-01-06' }).then((r) => [ids(r), r.total]),
    category: await store.papers.listPapers({ categories: ['cs.CL'] }).then((r) => [ids(r), r.total]),
    days: await store.papers.listingDays({}),
    daysRange: await store.papers.listingDays({ from: '2026-01-06', limit: 1 }),
    byAuthor: (await store.papers.papersByAuthor('ada lovelace')).map((p) => p.id),
    byAuthorFolded: (await store.papers.papersByAuthor('JOSE NUNEZ')).map((p) => p.id),
    authors: await store.papers.findAuthors('nunez'),
    authorsPrefix: await store.papers.findAuthors('ada'),
    stats: await store.papers.stats(),
    changes: await store.papers.changesSince(0, 100).then((c) => ({ papers: c.papers.map((p) => p.id), removed: c.removed.length })),
  };
}

describeEachBackend('paper store contract', (backend) => {
  it('merges records into papers and counts what each batch did', async () => {
    const store = await backend.open();
    const { counts } = await load(store);
    expect(counts).toEqual([
      { added: 6, updated: 0, unchanged: 0, merged: 0 },
      { added: 0, updated: 1, unchanged: 1, merged: 0 },
      { added: 0, updated: 1, unchanged: 2, merged: 1 },
    ]);
    expect((await store.papers.stats()).papers).toBe(5);
    // Importing everything again changes nothing.
    const again = await load(store);
    for (const c of again.counts as { added: number; merged: number }[]) {
      expect(c.added).toBe(0);
      expect(c.merged).toBe(0);
    }
    expect((await store.papers.changesSince((await store.papers.changesSince(0, 1000)).lastSeq, 10)).papers).toEqual([]);
  });

  it('keeps text as given (HTML, emoji, accents) and makes NUL and lone surrogates storable without breaking re-imports', async () => {
    const store = await backend.open();
    await load(store);
    const p = (await store.papers.getPaper('doi:10.1145/3600000'))!;
    expect(p.title).toContain('<script>alert(1)</script>');
    expect(p.title).toContain('Café');
    expect(p.abstract).toContain('🙂');
    expect((await store.papers.upsertPapers([corpus()[0][3]], T1)).counts.unchanged).toBe(1);
    // PostgreSQL cannot store U+0000 (dropped there) or a lone surrogate (U+FFFD there); either way the paper
    // lands and re-imports as unchanged.
    const nul = { title: 'A title with a NUL\u0000 in it and a lone \ud800 surrogate', abstract: 'And\u0000 here.', source: src('nul.jsonl:1') };
    expect((await store.papers.upsertPapers([nul], T0)).counts.added).toBe(1);
    expect((await store.papers.upsertPapers([nul], T1)).counts.unchanged).toBe(1);
    expect((await store.papers.getPaper((await store.papers.upsertPapers([nul], T1)).outcomes[0].id))?.abstract).toMatch(/^And\u0000? here\.$/);
  });

  it('feeds changes in seq order, with pks of papers merged away, in pages', async () => {
    const store = await backend.open();
    const first = await store.papers.upsertPapers(corpus()[0], T0);
    const start = (await store.papers.changesSince(0, 100)).lastSeq;
    expect((await store.papers.changesSince(0, 100)).papers).toHaveLength(6);
    await store.papers.upsertPapers(corpus()[2], T1);
    const listingPk = first.outcomes[2].pk;
    const gonePk = first.outcomes[5].pk;
    const page1 = await store.papers.changesSince(start, 1);
    const page2 = await store.papers.changesSince(page1.lastSeq, 100);
    expect(page1.papers).toHaveLength(1);
    const changed = [...page1.papers, ...page2.papers];
    const removed = [...page1.removed, ...page2.removed];
    expect(removed).toEqual([gonePk]);
    expect(changed.map((p) => p.pk)).not.toContain(gonePk);
    expect(changed.find((p) => p.pk === listingPk)?.id).toBe('arxiv:2501.00009');
    const seqs = changed.map((p) => p.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(await store.papers.getPaper(first.outcomes[2].id)).toMatchObject({ id: 'arxiv:2501.00009', pk: listingPk });
    expect(await store.papers.getPaper('Something else entirely')).toBeUndefined();
    expect((await store.papers.changesSince(page2.lastSeq, 100)).papers).toEqual([]);
  });

  it('returns papers by pk in the order asked, skipping unknown pks', async () => {
    const store = await backend.open();
    const { outcomes } = await store.papers.upsertPapers(corpus()[0], T0);
    const [a, b] = outcomes.map((o) => o.pk);
    expect((await store.papers.getPapersByPk([b, 999_999, a])).map((p) => p.pk)).toEqual([b, a]);
    expect(await store.papers.getPapersByPk([])).toEqual([]);
  });

  it('stores, replaces and scans vectors per model, and model blobs with their metadata', async () => {
    const store = await backend.open({ now: () => new Date(T1) });
    const { outcomes } = await store.papers.upsertPapers(corpus()[0].slice(0, 5), T0);
    const pks = outcomes.map((o) => o.pk);
    const vec = (n: number) => Buffer.from(new Float32Array([n, n + 0.5, -n]).buffer);
    await store.vectors.putVectors('lsa-3', pks.map((pk, i) => ({ pk, vector: vec(i) })));
    await store.vectors.putVectors('lsa-3', [
      { pk: pks[0], vector: vec(100) },
      { pk: pks[0], vector: vec(200) },
    ]);
    await store.vectors.putVectors('other', [{ pk: pks[1], vector: vec(7) }]);
    expect(await store.vectors.countVectors('lsa-3')).toBe(5);
    const got = await store.vectors.getVectors('lsa-3', [pks[0], pks[1], 424242]);
    expect([...got.keys()].sort()).toEqual([pks[0], pks[1]].sort());
    expect(new Float32Array(new Uint8Array(got.get(pks[0])!).buffer)[0]).toBe(200);
    const scanned: number[] = [];
    for await (const page of store.vectors.scanVectors('lsa-3', 2)) {
      expect(page.length).toBeLessThanOrEqual(2);
      scanned.push(...page.map((r) => r.pk));
    }
    expect(scanned).toEqual([...pks].sort((a, b) => a - b));
    await store.vectors.deleteVectors('lsa-3');
    expect(await store.vectors.countVectors('lsa-3')).toBe(0);
    expect(await store.vectors.countVectors('other')).toBe(1);

    expect(await store.models.getModel('vocab')).toBeUndefined();
    const blob = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    await store.models.putModel('vocab', blob, { terms: 3, nested: { a: [1, 2] } });
    await store.models.putModel('empty', Buffer.alloc(0), {});
    const model = (await store.models.getModel('vocab'))!;
    expect(model.data.equals(blob)).toBe(true);
    expect(model.meta).toEqual({ terms: 3, nested: { a: [1, 2] } });
    expect(model.builtAt).toBe(T1);
    expect((await store.models.getModel('empty'))!.data.length).toBe(0);
    await store.models.putModel('vocab', Buffer.from('v2'), { terms: 1 });
    expect((await store.models.getModel('vocab'))!.data.toString()).toBe('v2');
  });

  it('drops a paper’s vectors when it is merged into another (the survivor is re-embedded from the change feed)', async () => {
    const store = await backend.open();
    const first = await store.papers.upsertPapers(corpus()[0], T0);
    await store.vectors.putVectors('m', [{ pk: first.outcomes[5].pk, vector: Buffer.from([1, 2, 3, 4]) }]);
    await store.papers.upsertPapers(corpus()[2], T1);
    expect(await store.vectors.countVectors('m')).toBe(0);
  });
});

const pgSkip = postgresUnavailable();
describe.skipIf(!!pgSkip)(`SQLite and PostgreSQL read back the same${pgSkip ? ` (skipped: ${pgSkip})` : ''}`, () => {
  it('after the same imports, every read method answers the same', async () => {
    const [sqlite, postgres] = await Promise.all(BACKENDS.map((b) => b.open()));
    const counts = await Promise.all([load(sqlite), load(postgres)]);
    expect(counts[1]).toEqual(counts[0]);
    const [a, b] = [await snapshot(sqlite), await snapshot(postgres)];
    expect(b).toEqual(a);
    // And the snapshot is not vacuous.
    expect(a.papers).toHaveLength(5);
    expect(a.byUpvotes[0]).toBe('arxiv:2501.00002');
    expect(a.authors[0].papers).toBe(2);
  });
});
