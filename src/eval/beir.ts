/**
 * `radar eval beir`: retrieval quality of every mode on a labelled benchmark
 * in the BEIR layout, measured through the product itself — the corpus goes
 * into a throwaway database through the store's import (upsert/merge) path,
 * index maintenance builds the representations exactly as after a real import,
 * and each mode answers through the same functions `radar search` and
 * `radar similar` call.
 *
 * A query whose id is also a corpus id is a query by example (CSFCube: the
 * query is a paper): the paper itself is excluded from its own results, and
 * `default` is what `radar similar` returns for it. Other queries are text
 * searches, and `default` is what `radar search` returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonFieldsRecord } from '../ingest/fields.ts';
import { importInputs } from '../ingest/import.ts';
import type { PaperRecord } from '../paper/types.ts';
import { fuseKeywordDense, type HybridParams, DEFAULT_HYBRID } from '../rank/hybrid.ts';
import { similarToPaper, similarToText, type SimilarOptions } from '../rank/similar.ts';
import { openStore } from '../store/open.ts';
import { SqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/types.ts';
import { openRetrieval, type Retrieval } from '../vectors/retrieval.ts';
import { refreshIndexes, type RefreshOptions } from '../vectors/refresh.ts';
import type { Embedder, Hit, TextDoc } from '../vectors/types.ts';
import { describeProgress } from '../vectors/hook.ts';
import { readBeir, type BeirData } from './beir-data.ts';
import { readBackground } from './background.ts';
import { perQueryScores, type PerQuery, type RunMetrics } from './metrics.ts';
import { intervalsOf, pairedAgainst, selectByCv, type Intervals, type Selection } from './beir-summary.ts';
import type { PairedResult } from './stats.ts';
import type { MetricName } from './metrics.ts';

export const BEIR_MODES = ['bm25', 'tfidf', 'dense', 'hybrid', 'default'] as const;
export type BeirMode = (typeof BEIR_MODES)[number];

/**
 * Keyword (BM25) retrieval for a query text. For a query by example the text
 * is a whole paper, so any-term matching (`qbe: true`) is wanted.
 */
export type KeywordRetriever = (store: Store, text: string, k: number, opts: { qbe: boolean }) => Promise<Hit[]>;
/** Text search as `radar search` ranks it (default mode). */
export type SearchRetriever = (store: Store, r: Retrieval, text: string, k: number) => Promise<Hit[]>;

export interface BeirOptions {
  /** Background corpus for fitting the built-in model only (JSON lines, .gz ok). */
  background?: string;
  backgroundLimit?: number;
  /** Import the corpus from these files (any import format) instead of DIR/corpus.jsonl; corpus ids are paper ids. */
  importFiles?: string[];
  modes?: BeirMode[];
  embedder?: 'builtin' | Embedder;
  /** Ranking depth (Recall@100 needs 100). */
  depth?: number;
  /** Evaluate only the first N queries (quick checks). */
  limitQueries?: number;
  keyword?: KeywordRetriever;
  search?: SearchRetriever;
  similar?: SimilarOptions;
  /**
   * Variants of `default` for queries by example (similar-papers options
   * changed), each scored on the same queries and compared with `default`.
   */
  variants?: Record<string, SimilarOptions>;
  hybrid?: HybridParams;
  refresh?: Partial<RefreshOptions>;
  /** Return each mode's ranking per query (`report.runs`). */
  keepRuns?: boolean;
  /** Keep the throwaway database at this path instead of a temporary one. */
  db?: string;
  progress?: (line: string) => void;
}

/**
 * Variants of the similar-papers default that `--ablations` scores against it
 * (the default's own settings are SIMILAR_DEFAULTS).
 */
export const SIMILAR_VARIANTS: Record<string, SimilarOptions> = {
  'feedback 5×0.5': { feedback: { docs: 5, weight: 0.5 } },
  'feedback 10×0.5': { feedback: { docs: 10, weight: 0.5 } },
  'no dense': { denseWeight: 0 },
  'dense 0.5': { denseWeight: 0.5 },
  'dense 0.1': { denseWeight: 0.1 },
  'standardised fusion': { fusion: 'standardised' },
};

export interface BeirReport {
  dataset: string;
  corpus: number;
  queries: number;
  queriesByExample: number;
  /** Background papers the built-in model was fitted with (0: the corpus alone), and from where. */
  background: number;
  backgroundPath?: string;
  embedder: string;
  modes: Partial<Record<BeirMode, RunMetrics>>;
  /** The same split by query kind (when the benchmark has both): text searches and queries by example. */
  byKind?: { text: Partial<Record<BeirMode, RunMetrics>>; example: Partial<Record<BeirMode, RunMetrics>> };
  skipped: Partial<Record<BeirMode, string>>;
  /** 95% bootstrap intervals over queries, per mode (and variant) and metric. */
  intervals: Record<string, Intervals>;
  /** `default` minus each other mode or variant, paired by query. */
  paired: Record<string, Record<MetricName, PairedResult>>;
  /** Variants of `default` (queries by example only): their means. */
  variants: Record<string, RunMetrics>;
  /** Repeated k-fold selection among `default` and its variants (queries by example). */
  selection?: Selection;
  timings: { indexMs: number; queriesMs: Partial<Record<BeirMode, number>> };
  /** With `keepRuns`: mode → query id → ranked corpus ids. */
  runs?: Partial<Record<BeirMode, Record<string, string[]>>>;
}

/** Corpus lines as records: the generic JSON importer's field reading, plus a key that keeps each document separate. */
function corpusRecords(data: BeirData): PaperRecord[] {
  const seenAt = new Date().toISOString();
  return data.corpus!.map((d) => {
    const rec = commonFieldsRecord({ title: d.title, text: d.text }, { kind: 'jsonl', locator: `corpus.jsonl:${d.line}`, seenAt });
    // BEIR documents are distinct by definition: a DOI-shaped key per id stops the
    // store from merging two documents that happen to share a title.
    rec.doi = `10.0000/beir.${encodeURIComponent(d.id).toLowerCase()}`;
    return rec;
  });
}

async function loadCorpus(store: Store, data: BeirData, opts: BeirOptions, say: (l: string) => void): Promise<{ idOf: Map<number, string>; pkOf: Map<string, number> }> {
  const idOf = new Map<number, string>();
  const pkOf = new Map<string, number>();
  if (opts.importFiles?.length) {
    const report = await importInputs(
      store,
      opts.importFiles.map((path) => ({ path })),
      { now: () => new Date() },
    );
    say(`imported ${report.totals.added} papers from ${opts.importFiles.length} files`);
    for await (const batch of store.papers.scanPapers(5000)) for (const p of batch) (idOf.set(p.pk, p.id), pkOf.set(p.id, p.pk));
    return { idOf, pkOf };
  }
  const records = corpusRecords(data);
  for (let i = 0; i < records.length; i += 2000) {
    const res = await store.papers.upsertPapers(records.slice(i, i + 2000), new Date().toISOString());
    res.outcomes.forEach((o, j) => {
      const id = data.corpus![i + j].id;
      if (idOf.has(o.pk)) throw new Error(`corpus ids "${idOf.get(o.pk)}" and "${id}" became one paper (ids that differ only in case?)`);
      idOf.set(o.pk, id);
      pkOf.set(id, o.pk);
    });
    say(`corpus: ${Math.min(i + 2000, records.length)}/${records.length}`);
  }
  return { idOf, pkOf };
}

/** The default's per-query scores restricted to some queries (in the given order). */
function pairedBase(p: PerQuery, ids: string[]): PerQuery {
  const at = new Map(p.ids.map((id, i) => [id, i]));
  const keep = ids.filter((id) => at.has(id));
  return {
    ids: keep,
    'ndcg@10': keep.map((id) => p['ndcg@10'][at.get(id)!]),
    'recall@100': keep.map((id) => p['recall@100'][at.get(id)!]),
    'mrr@10': keep.map((id) => p['mrr@10'][at.get(id)!]),
  };
}

export async function runBeirEval(dir: string, opts: BeirOptions = {}): Promise<BeirReport> {
  const say = opts.progress ?? (() => {});
  const data = readBeir(dir, { needCorpus: !opts.importFiles?.length });
  const tmp = opts.db ? undefined : mkdtempSync(join(tmpdir(), 'radar-beir-'));
  // A kept database may be a postgres:// URL: the same evaluation then measures the PostgreSQL backend.
  const store = opts.db ? await openStore(opts.db, { createDir: true }) : new SqliteStore(join(tmp!, 'beir.db'));
  try {
    const t0 = performance.now();
    const { idOf, pkOf } = await loadCorpus(store, data, opts, say);
    const background: TextDoc[] = opts.background ? readBackground(opts.background, opts.backgroundLimit) : [];
    if (background.length) say(`background for fitting: ${background.length} papers from ${opts.background}`);
    let last = 0;
    await refreshIndexes(store, {
      embedder: opts.embedder ?? 'builtin',
      // The evaluation measures the model it was given, even in a kept database indexed with another.
      switchModel: true,
      fitExtra: background.length ? () => background : undefined,
      ...opts.refresh,
      progress: (p) => {
        const now = Date.now();
        if (p.message || now - last > 2000) {
          last = now;
          say(describeProgress(p));
        }
      },
    });
    const indexMs = Math.round(performance.now() - t0);
    const r = await openRetrieval(store, { embedder: opts.embedder && opts.embedder !== 'builtin' ? opts.embedder : undefined });
    say(`indexed ${idOf.size} papers in ${(indexMs / 1000).toFixed(1)} s; dense model: ${r.dense?.state.embedder ?? 'none'}`);

    const queries = (opts.limitQueries ? data.queries.slice(0, opts.limitQueries) : data.queries).filter((q) => data.qrels.has(q.id));
    const qrels = new Map([...data.qrels].filter(([q]) => queries.some((x) => x.id === q)));
    const depth = opts.depth ?? 100;
    const modes = opts.modes ?? [...BEIR_MODES];
    const report: BeirReport = {
      dataset: dir,
      corpus: idOf.size,
      queries: queries.length,
      queriesByExample: queries.filter((q) => pkOf.has(q.id)).length,
      background: background.length,
      ...(background.length ? { backgroundPath: opts.background } : {}),
      embedder: r.dense?.state.embedder ?? 'none',
      modes: {},
      skipped: {},
      intervals: {},
      paired: {},
      variants: {},
      timings: { indexMs, queriesMs: {} },
    };
    const toIds = (hits: Hit[], self?: number) => hits.filter((h) => h.pk !== self).slice(0, depth).map((h) => idOf.get(h.pk)!).filter(Boolean);

    const keyword = async (text: string, qbe: boolean, self?: number): Promise<Hit[]> => {
      if (!opts.keyword) return [];
      return (await opts.keyword(store, text, depth + 1, { qbe })).filter((h) => h.pk !== self);
    };
    const dense = async (qtext: string, self?: number): Promise<Hit[]> =>
      self !== undefined ? similarToPaper(r, self, { ...opts.similar, mode: 'dense', limit: depth }) : r.denseSearch(qtext, depth);

    const per: Record<string, PerQuery> = {};
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const means = (p: PerQuery): RunMetrics => ({ 'ndcg@10': mean(p['ndcg@10']), 'recall@100': mean(p['recall@100']), 'mrr@10': mean(p['mrr@10']) });
    const record = (name: string, run: Map<string, string[]>, started: number, judged = qrels): PerQuery => {
      const p = perQueryScores(run, judged);
      per[name] = p;
      report.intervals[name] = intervalsOf(p);
      report.timings.queriesMs[name as BeirMode] = Math.round(performance.now() - started);
      say(`${name}: nDCG@10 ${means(p)['ndcg@10'].toFixed(4)}  Recall@100 ${means(p)['recall@100'].toFixed(4)}  MRR@10 ${means(p)['mrr@10'].toFixed(4)}  (${p.ids.length} queries)`);
      return p;
    };

    for (const mode of modes) {
      if ((mode === 'bm25' || mode === 'hybrid') && !opts.keyword) {
        report.skipped[mode] = 'no keyword retrieval available';
        continue;
      }
      const started = performance.now();
      const run = new Map<string, string[]>();
      for (const q of queries) {
        const self = pkOf.get(q.id);
        let hits: Hit[];
        switch (mode) {
          case 'bm25':
            hits = await keyword(q.text, self !== undefined, self);
            break;
          case 'tfidf':
            hits = self !== undefined ? await similarToPaper(r, self, { ...opts.similar, mode: 'tfidf', limit: depth }) : await similarToText(r, { title: q.text, abstract: '' }, { ...opts.similar, mode: 'tfidf', limit: depth });
            break;
          case 'dense':
            hits = await dense(q.text, self);
            break;
          case 'hybrid':
            hits = fuseKeywordDense(await keyword(q.text, self !== undefined, self), await dense(q.text, self), opts.hybrid ?? DEFAULT_HYBRID);
            break;
          case 'default':
            if (self !== undefined) hits = await similarToPaper(r, self, { ...opts.similar, limit: depth });
            else if (opts.search) hits = await opts.search(store, r, q.text, depth);
            else hits = fuseKeywordDense(await keyword(q.text, false), await dense(q.text), opts.hybrid ?? DEFAULT_HYBRID);
            break;
        }
        run.set(q.id, toIds(hits, self));
      }
      const p = record(mode, run, started);
      report.modes[mode] = means(p);
      if (report.queriesByExample > 0 && report.queriesByExample < queries.length) {
        report.byKind ??= { text: {}, example: {} };
        for (const kind of ['text', 'example'] as const) {
          const sub = new Map([...qrels].filter(([q]) => pkOf.has(q) === (kind === 'example')));
          report.byKind[kind][mode] = means(perQueryScores(run, sub));
        }
      }
      if (opts.keepRuns) (report.runs ??= {})[mode] = Object.fromEntries(run);
    }

    // Variants of the default on the queries by example.
    const examples = queries.filter((q) => pkOf.has(q.id));
    const exampleQrels = new Map([...qrels].filter(([q]) => pkOf.has(q)));
    const variantNames = Object.keys(opts.variants ?? {});
    if (variantNames.length && examples.length && per.default) {
      for (const name of variantNames) {
        const started = performance.now();
        const run = new Map<string, string[]>();
        for (const q of examples) {
          const self = pkOf.get(q.id)!;
          run.set(q.id, toIds(await similarToPaper(r, self, { ...opts.similar, ...opts.variants![name], limit: depth }), self));
        }
        report.variants[name] = means(record(name, run, started, exampleQrels));
      }
    }
    for (const name of Object.keys(per)) if (name !== 'default' && per.default) report.paired[name] = pairedAgainst(per.default, per[name]);
    if (variantNames.length && per.default) {
      // Selection runs over the queries by example, where the variants differ.
      const base = { ...per, default: pairedBase(per.default, per[variantNames[0]].ids) };
      report.selection = selectByCv(base, ['default', ...variantNames]);
    }
    return report;
  } finally {
    await store.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
