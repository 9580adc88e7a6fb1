/**
 * One index refresh at a time per database: two refreshers on two
 * connections (as two processes) never both count or embed the same papers;
 * a second one waits or skips as asked; a refresh that lost its lease stops
 * before switching readers to what it built. Both backends.
 */
import { expect, it } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { PostgresStore } from '../../src/store/postgres/store.ts';
import type { Store } from '../../src/store/types.ts';
import { INDEX_LEASE } from '../../src/vectors/lease.ts';
import { readDenseState, refreshIndexes } from '../../src/vectors/refresh.ts';
import { SparseIndex } from '../../src/vectors/sparse-index.ts';
import { describeEachBackend } from '../helpers/backends.ts';
import { syntheticRecords } from './synthetic.ts';

const NOW = '2025-01-02T00:00:00Z';
const SMALL = { minDocsForDense: 100, lsa: { dims: 8, minDf: 2, powerIters: 2 } };

/** Hands the lease to someone else behind the refresher's back (as if it had expired and another process took it). */
async function steal(store: Store): Promise<void> {
  if (store.kind === 'sqlite') (store as SqliteStore).db.prepare("UPDATE leases SET holder = 'thief'").run();
  else await (store as PostgresStore).pool.query("UPDATE leases SET holder = 'thief'");
}

describeEachBackend('index refresh lease', (backend) => {
  it('two refreshers at once: one does the work, the other then finds it done', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    await a.papers.upsertPapers(syntheticRecords(0, 300), NOW);
    const waited: string[] = [];
    const [ra, rb] = await Promise.all([
      refreshIndexes(a, SMALL),
      refreshIndexes(b, { ...SMALL, progress: (p) => p.message && waited.push(p.message) }),
    ]);
    // Each paper counted and embedded once in all.
    expect(ra.sparse.updated + rb.sparse.updated).toBe(300);
    expect([ra.dense.refit, rb.dense.refit].filter(Boolean)).toHaveLength(1);
    const sparse = (await SparseIndex.load(a.models))!;
    expect(sparse.papers).toBe(300);
    const exact = (await SparseIndex.load(a.models))!;
    await exact.recount(a.vectors);
    expect(Buffer.from(sparse.table.df.buffer).equals(Buffer.from(exact.table.df.buffer))).toBe(true);
    const state = (await readDenseState(a))!;
    expect(state.generation).toBe(1);
    expect(await a.vectors.countVectors(state.vectors)).toBe(300);
    // When b came second (a took the lease first), it said it was waiting.
    if (rb.sparse.updated === 0) expect(waited.join('\n')).toMatch(/waiting for the index refresh .* is running/);
  });

  it('a second refresher asked to skip returns at once and says who is refreshing', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    await a.papers.upsertPapers(syntheticRecords(0, 150), NOW);
    expect(await a.leases.acquireLease(INDEX_LEASE, 'host:1:worker', 60_000)).toEqual({ acquired: true });
    const lines: string[] = [];
    const r = await refreshIndexes(b, { ...SMALL, onBusy: 'skip', progress: (p) => p.message && lines.push(p.message) });
    expect(r.skipped?.holder).toBe('host:1:worker');
    expect(lines.join('\n')).toMatch(/skipped: host:1:worker is refreshing the indexes/);
    expect(await SparseIndex.load(b.models)).toBeUndefined();

    // Waiting instead: it runs once the holder is done.
    const running = refreshIndexes(b, { ...SMALL, progress: (p) => p.message && lines.push(p.message) });
    await new Promise((res) => setTimeout(res, 300));
    expect(await SparseIndex.load(b.models)).toBeUndefined();
    await a.leases.releaseLease(INDEX_LEASE, 'host:1:worker');
    expect((await running).sparse.updated).toBe(150);
    expect(lines.join('\n')).toMatch(/waiting for the index refresh host:1:worker is running/);
  });

  it('a refresh whose lease was taken over stops before switching readers to its generation', async () => {
    const a = await backend.open();
    await a.papers.upsertPapers(syntheticRecords(0, 150), NOW);
    let stolen = false;
    const r = refreshIndexes(a, {
      ...SMALL,
      progress: (p) => {
        if (p.stage === 'fit' && !stolen) {
          stolen = true;
          void steal(a);
        }
      },
    });
    await expect(r).rejects.toThrow(/lost the refresh-indexes lease/);
    expect(await readDenseState(a)).toBeUndefined();
    const abandoned = (await a.models.getModel('dense:pending'))!.meta.vectors as string;
    expect(await a.vectors.countVectors(abandoned)).toBe(150);
    // The half-built generation is freed by the next refresh, which builds its own under another name.
    await a.leases.releaseLease(INDEX_LEASE, 'thief');
    const again = await refreshIndexes(a, SMALL);
    expect(again.dense.refit).toBe(true);
    const state = (await readDenseState(a))!;
    expect(state.vectors).not.toBe(abandoned);
    expect(await a.vectors.countVectors(state.vectors)).toBe(150);
    expect(await a.vectors.countVectors(abandoned)).toBe(0);
  });
});
