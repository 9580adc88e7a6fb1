import { expect, it } from 'vitest';
import { parseQuery } from '../../src/query/parse.ts';
import type { PostgresStore } from '../../src/store/postgres/store.ts';
import type { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { describeEachBackend } from '../helpers/backends.ts';

const T = '2025-01-01T00:00:00Z';
const paper = (n: number) => ({ title: `Diffusion paper ${n}`, abstract: 'About diffusion.', source: { kind: 'jsonl' as const, locator: `x:${n}`, seenAt: T } });

/** Empties the full-text index behind the store's back, as a damaged file or a bulk load would leave it. */
async function breakFullText(store: Store): Promise<void> {
  if (store.kind === 'sqlite') (store as SqliteStore).db.prepare("INSERT INTO papers_fts(papers_fts) VALUES ('delete-all')").run();
  else await (store as PostgresStore).pool.query('UPDATE papers SET fts = NULL, fts_title = NULL');
}

describeEachBackend('database check (radar doctor)', (backend) => {
  it('finds a full-text index out of step with the papers, rebuilds it on request, and search works again', async () => {
    const store = await backend.open();
    await store.papers.upsertPapers([paper(1), paper(2)], T);
    expect((await store.checkDatabase({ repair: false })).every((c) => c.ok)).toBe(true);

    await breakFullText(store);
    expect((await store.search.searchKeyword({ query: parseQuery('diffusion').query, sort: 'relevance', limit: 5, offset: 0 })).hits).toHaveLength(0);
    const found = await store.checkDatabase({ repair: false });
    expect(found.some((c) => !c.ok && /full-text/.test(c.name))).toBe(true);
    expect(found.every((c) => c.repaired === undefined)).toBe(true);

    const fixed = await store.checkDatabase({ repair: true });
    expect(fixed.every((c) => c.ok)).toBe(true);
    expect(fixed.some((c) => c.repaired)).toBe(true);
    expect((await store.search.searchKeyword({ query: parseQuery('diffusion').query, sort: 'relevance', limit: 5, offset: 0 })).hits).toHaveLength(2);
  });
});
