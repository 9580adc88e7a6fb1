/**
 * How a long-lived reader (each server process) follows what other processes
 * write: a cheap check when nothing changed (no reload however long it runs),
 * newly embedded papers applied in place, and a new model generation loaded
 * in the background while queries go on answering from the current one.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { readDenseState, refreshIndexes } from '../../src/vectors/refresh.ts';
import { openRetrieval } from '../../src/vectors/retrieval.ts';
import { tempDir } from '../helpers/tmp.ts';
import { syntheticRecords } from './synthetic.ts';
import { withParts } from '../helpers/wrap-store.ts';

const NOW = '2025-01-02T00:00:00Z';
const SMALL = { minDocsForDense: 100, lsa: { dims: 8, minDf: 2, powerIters: 2 } };

/** The real store, recording what a reader reads, with an optional gate that holds scans of one vectors model. */
function watched(store: Store) {
  const models: string[] = [];
  const scans: string[] = [];
  let gate: { model: string; reached: () => void; open: Promise<void> } | undefined;
  const wrapped = withParts(store, {
    models: {
      getModel: (name: string) => {
        models.push(name);
        return store.models.getModel(name);
      },
    },
    vectors: {
      scanVectors: async function* (model: string, batch: number) {
        scans.push(model);
        if (gate && gate.model === model) {
          gate.reached();
          await gate.open;
        }
        yield* store.vectors.scanVectors(model, batch);
      },
    },
  });
  return {
    store: wrapped,
    models,
    scans,
    clear() {
      models.length = 0;
      scans.length = 0;
    },
    /** Holds scans of `model` until `open()`; `reached` resolves once one is held. */
    hold(model: string) {
      let reached!: () => void;
      let open!: () => void;
      const r = new Promise<void>((res) => (reached = res));
      gate = { model, reached, open: new Promise<void>((res) => (open = res)) };
      return { reached: r, open: () => open() };
    },
  };
}

async function twoConnections(papers: number) {
  const path = join(tempDir(), 'radar.db');
  const writer = new SqliteStore(path);
  const reader = new SqliteStore(path);
  await writer.papers.upsertPapers(syntheticRecords(0, papers), NOW);
  await refreshIndexes(writer, SMALL);
  return { writer, reader, close: async () => (await writer.close(), await reader.close()) };
}

afterEach(() => vi.restoreAllMocks());

describe('a reader following other processes', () => {
  it('reads two small records when nothing changed, however long it has been open', async () => {
    const { reader, close } = await twoConnections(300);
    try {
      const w = watched(reader);
      const r = await openRetrieval(w.store, { catchUpEveryMs: 0 });
      w.clear();
      const realNow = Date.now;
      let offset = 0;
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
      for (let minute = 1; minute <= 3; minute++) {
        offset = minute * 61_000;
        await r.catchUp();
        await r.idle();
        expect(await r.denseSearch('grokking delayed generalization', 5)).toHaveLength(5);
        await r.idle();
      }
      // No table, model or vector reload: only the sparse head and the dense state, each check.
      expect(w.scans).toEqual([]);
      expect(new Set(w.models)).toEqual(new Set(['sparse:head', 'dense:state']));
    } finally {
      await close();
    }
  });

  it('applies newly embedded papers in place, reading only those', async () => {
    const { writer, reader, close } = await twoConnections(300);
    try {
      const w = watched(reader);
      const r = await openRetrieval(w.store, { catchUpEveryMs: 0 });
      const added = await writer.papers.upsertPapers(syntheticRecords(300, 20), NOW);
      await refreshIndexes(writer, SMALL);
      w.clear();
      await r.catchUp();
      await r.idle();
      for (const o of added.outcomes) expect(r.dense!.index.has(o.pk)).toBe(true);
      expect(r.papers).toBe(320);
      expect(w.scans).toEqual([]);
      expect(w.models).not.toContain((await readDenseState(writer))!.model);
    } finally {
      await close();
    }
  });

  it('loads a new generation in the background and swaps it in when ready', async () => {
    const { writer, reader, close } = await twoConnections(300);
    try {
      const w = watched(reader);
      const r = await openRetrieval(w.store, { catchUpEveryMs: 0 });
      const old = r.dense!.state;
      await refreshIndexes(writer, { ...SMALL, forceRefit: true });
      const next = (await readDenseState(writer))!;
      expect(next.vectors).not.toBe(old.vectors);
      const held = w.hold(next.vectors);

      await r.catchUp(); // returns at once: the reload runs behind it
      await held.reached; // …and is now stuck reading the new vectors
      expect(r.dense!.state.vectors).toBe(old.vectors);
      const hits = await r.denseSearch('neural collapse simplex', 5);
      expect(hits).toHaveLength(5);
      // The old generation's vectors are still there for this reader (retired, not dropped).
      expect((await r.denseVectors(hits.map((h) => h.pk))).size).toBe(5);

      held.open();
      await r.idle();
      expect(r.dense!.state.vectors).toBe(next.vectors);
      expect(r.dense!.state.generation).toBe(old.generation + 1);
      expect(await r.denseSearch('neural collapse simplex', 5)).toHaveLength(5);
    } finally {
      await close();
    }
  });

  it('a forced catch-up waits for everything written before it', async () => {
    const { writer, reader, close } = await twoConnections(300);
    try {
      const r = await openRetrieval(reader, { catchUpEveryMs: 0 });
      await refreshIndexes(writer, { ...SMALL, forceRefit: true });
      await r.catchUp(true);
      expect(r.dense!.state.vectors).toBe((await readDenseState(writer))!.vectors);
    } finally {
      await close();
    }
  });
});
