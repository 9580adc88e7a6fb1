/**
 * Explanations over the seed profiles: every term a feed item is explained by
 * must name a topic the item shares with the profile paper the explanation
 * cites — never the wording every abstract uses ("showing", "property",
 * "unified perspective", "improves", "framework").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openProfileDeps } from '../../src/profile/deps.ts';
import { buildFeed } from '../../src/profile/feed.ts';
import { importForProfile } from '../../src/profile/import.ts';
import { createProfile } from '../../src/profile/profiles.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { stem, words } from '../../src/text/tokenize.ts';
import { describeShared, SEEDS } from '../helpers/shared.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const WINDOW = { from: '2000-01-01', to: '2026-11-22', now: NOW, limit: 30 };

// Written here, not taken from the implementation: words that would make an explanation useless.
const GENERIC = `showing show shows property properties unified perspective different benefits benefit presence lower critical
solutions requires challenges challenge faces achieves achieving framework improve improves improved improving quality overall
novel propose proposed approach results performance significantly demonstrate effective existing extensive`.split(/\s+/);

describeShared('explanations over the seed profiles', Object.values(SEEDS), () => {
  let store: SqliteStore;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-explain-seeds-'));
    store = new SqliteStore(join(dir, 'radar.db'));
    await importForProfile(store, [SEEDS.dailyPapers1, SEEDS.dailyPapers2, SEEDS.dailyPapers3].map((path) => ({ path })), NOW);
    const deps = { store, now: NOW, importFiles: importForProfile };
    await createProfile(deps, 'nc', { files: [SEEDS.publicationList] });
    await createProfile(deps, 'ab', { files: [SEEDS.abstracts] });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['nc', 'ab'])('%s: named terms are distinctive and shared with the cited profile paper', async (profile) => {
    const feed = await buildFeed(await openProfileDeps(store), profile, WINDOW);
    expect(feed.items.length).toBeGreaterThanOrEqual(10);
    let named = 0;
    for (const item of feed.items) {
      const terms = item.reasons.flatMap((r) => (r.kind === 'terms' ? r.terms : []));
      const cited = item.reasons.find((r) => r.kind === 'similar');
      expect(cited, item.title).toBeDefined();
      const citedPaper = await store.papers.getPaper(cited!.kind === 'similar' ? cited!.id : '');
      const citedStems = new Set(words(`${citedPaper!.title} ${citedPaper!.abstract}`).map(stem));
      const itemStems = new Set(words(`${item.title} ${item.abstract}`).map(stem));
      for (const t of terms) {
        named++;
        for (const w of t.split(' ')) {
          expect(GENERIC, `"${t}" explaining "${item.title}"`).not.toContain(w);
          // Shared: the item and the profile paper it is said to be close to both use the term.
          expect(citedStems.has(stem(w)) && itemStems.has(stem(w)), `"${t}" in both "${item.title}" and "${citedPaper!.title}"`).toBe(true);
        }
      }
    }
    expect(named).toBeGreaterThan(feed.items.length * 2);
  });
});
