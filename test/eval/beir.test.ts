import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runBeirEval, type BeirReport } from '../../src/eval/beir.ts';
import { defaultKeywordRetriever } from '../../src/eval/beir-retrievers.ts';
import { describeShared, PROJECT_ROOT, sharedPath } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A tiny benchmark written here: three topics, two text queries, one query by example. */
function writeTinyBeir(dir: string): void {
  const docs = [
    ['c1', 'Neural collapse at the terminal phase of training', 'Last-layer features collapse to their class means, which form a simplex equiangular tight frame.'],
    ['c2', 'Neural collapse under class imbalance', 'We study how class means and classifiers collapse when classes are imbalanced; minority collapse appears.'],
    ['c3', 'Perturbation analysis of neural collapse', 'Features do not collapse exactly; we analyse how near-collapse geometry of class means depends on regularisation.'],
    ['g1', 'Grokking as delayed generalization', 'Networks trained on modular arithmetic memorise first and generalise long after, a phenomenon called grokking.'],
    ['g2', 'Grokking and weight decay', 'Weight decay controls when grokking happens: generalization follows memorization on algorithmic data.'],
    ['u1', 'Machine unlearning with influence functions', 'Removing the influence of a forget set from a trained model without retraining, using influence estimates.'],
    ['u2', 'Certified data deletion', 'Unlearning requests must delete training data; we give certified removal guarantees for convex models.'],
    ['x1', 'Image segmentation with transformers', 'A transformer decoder predicts masks for panoptic segmentation of street scenes.'],
    ['x2', 'Speech recognition in noisy rooms', 'Acoustic models for far-field speech recognition with reverberation and noise.'],
  ];
  writeFileSync(join(dir, 'corpus.jsonl'), docs.map(([id, title, text]) => JSON.stringify({ _id: id, title, text })).join('\n') + '\n');
  const queries = [
    { _id: 'q-collapse', text: 'neural collapse of class means' },
    { _id: 'q-unlearn', text: 'unlearning: delete training data from a model' },
    { _id: 'g1', text: 'Grokking as delayed generalization' },
  ];
  writeFileSync(join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
  mkdirSync(join(dir, 'qrels'));
  const qrels = [
    ['q-collapse', 'c1', 3], ['q-collapse', 'c2', 3], ['q-collapse', 'c3', 2], ['q-collapse', 'x1', 0],
    ['q-unlearn', 'u1', 3], ['q-unlearn', 'u2', 3],
    // The query paper judges itself relevant: it must still never be returned for itself.
    ['g1', 'g1', 3], ['g1', 'g2', 3],
  ];
  writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n' + qrels.map((r) => r.join('\t')).join('\n') + '\n');
}

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) } as NodeJS.WritableStream, stderr: { write: (s: string) => ((err += s), true) } as NodeJS.WritableStream },
    out: () => out,
    err: () => err,
  };
}

describe('BEIR harness', () => {
  it('indexes the corpus through the store, ranks every mode and never returns a query paper for itself', async () => {
    const dir = tempDir();
    writeTinyBeir(dir);
    const report = await runBeirEval(dir, { keyword: defaultKeywordRetriever, keepRuns: true, refresh: { minDocsForDense: 5, lsa: { dims: 4, minDf: 1 } } });
    expect(report.corpus).toBe(9);
    expect(report.queries).toBe(3);
    expect(report.queriesByExample).toBe(1);
    expect(report.embedder).toBe('lsa-4');
    for (const mode of ['bm25', 'tfidf', 'dense', 'hybrid', 'default'] as const) {
      const run = report.runs![mode]!;
      expect(run.g1, mode).not.toContain('g1');
      expect(run.g1[0], mode).toBe('g2');
    }
    // Text queries find their topic first with the term-based modes.
    for (const mode of ['bm25', 'tfidf', 'hybrid', 'default'] as const) {
      expect(report.runs![mode]!['q-collapse'].slice(0, 3).sort(), mode).toEqual(['c1', 'c2', 'c3']);
      expect(report.runs![mode]!['q-unlearn'].slice(0, 2).sort(), mode).toEqual(['u1', 'u2']);
      // The self-judgment of g1 stays in its ideal ranking, so no mode reaches 1 there.
      expect(report.modes[mode]!['ndcg@10'], mode).toBeGreaterThan(0.8);
      expect(report.modes[mode]!['mrr@10'], mode).toBe(1);
    }
  });

  it('prints a table, and --json gives {"modes": {mode: {"ndcg@10", "recall@100", "mrr@10"}}}', async () => {
    const dir = tempDir();
    writeTinyBeir(dir);
    const c = capture();
    expect(await main(['eval', 'beir', dir, '--json', '--mode', 'tfidf', '--mode', 'bm25'], c.io)).toBe(0);
    const json = JSON.parse(c.out()) as { modes: Record<string, Record<string, number>> };
    expect(Object.keys(json.modes).sort()).toEqual(['bm25', 'tfidf']);
    for (const m of Object.values(json.modes)) expect(Object.keys(m).sort()).toEqual(['mrr@10', 'ndcg@10', 'recall@100']);
    expect(c.err()).toMatch(/tfidf: nDCG@10/);

    const human = capture();
    expect(await main(['eval', 'beir', dir, '--mode', 'tfidf'], human.io)).toBe(0);
    expect(human.out()).toBe('');
    expect(human.err()).toMatch(/mode\s+nDCG@10\s+Recall@100\s+MRR@10[\s\S]*tfidf\s+0\.8710 \[0\.\d{3}, 1\.000\]\s+0\.8333 \[/);
    expect(human.err()).toMatch(/background: none/);
  });

  it('gives every mode an interval over queries, pairs the default with each mode and scores variants with --ablations', async () => {
    const dir = tempDir();
    writeTinyBeir(dir);
    const c = capture();
    expect(await main(['eval', 'beir', dir, '--json', '--mode', 'tfidf', '--mode', 'bm25', '--ablations'], c.io)).toBe(0);
    const r = JSON.parse(c.out()) as BeirReport;
    // --ablations needs the default to compare with, so it runs even when not asked for.
    expect(Object.keys(r.modes).sort()).toEqual(['bm25', 'default', 'tfidf']);
    for (const mode of ['bm25', 'tfidf', 'default']) {
      const i = r.intervals[mode]['ndcg@10'];
      expect(i.value).toBeCloseTo(r.modes[mode as 'bm25']!['ndcg@10'], 10);
      expect(i.lo).toBeLessThanOrEqual(i.value);
      expect(i.hi).toBeGreaterThanOrEqual(i.value);
    }
    expect(Object.keys(r.paired).sort()).toEqual(['bm25', 'dense 0.1', 'dense 0.5', 'feedback 10×0.5', 'feedback 5×0.5', 'no dense', 'standardised fusion', 'tfidf']);
    const vsTfidf = r.paired.tfidf['ndcg@10'];
    expect(vsTfidf.diff).toBeCloseTo(r.modes.default!['ndcg@10'] - r.modes.tfidf!['ndcg@10'], 10);
    // Variants run on the one query by example only.
    expect(r.intervals['feedback 5×0.5']['ndcg@10'].lo).toBe(r.intervals['feedback 5×0.5']['ndcg@10'].hi);
  });

  it('names the file and line of a bad benchmark', async () => {
    const dir = tempDir();
    writeTinyBeir(dir);
    writeFileSync(join(dir, 'queries.jsonl'), '{"_id": "q1", "text": "ok"}\n{"_id": "q2"}\n');
    const c = capture();
    expect(await main(['eval', 'beir', dir], c.io)).toBe(2);
    expect(c.err()).toMatch(/queries\.jsonl:2: field "text" is missing/);
    const empty = tempDir();
    const c2 = capture();
    expect(await main(['eval', 'beir', empty], c2.io)).toBe(2);
    expect(c2.err()).toMatch(/not a BEIR directory \(missing queries\.jsonl, qrels\/test\.tsv, corpus\.jsonl\)/);
  });
});

const SEEDS = readdirSync(sharedPath('seeds')).map((f) => sharedPath('seeds', f));

describeShared('ranking quality on the seed judgments (test/fixtures/beir-seed)', [sharedPath('seeds')], () => {
  it('default beats BM25 and ranks the judged papers high', async () => {
    const report = await runBeirEval(join(PROJECT_ROOT, 'test/fixtures/beir-seed'), { importFiles: SEEDS, keyword: defaultKeywordRetriever, modes: ['bm25', 'tfidf', 'default'] });
    expect(report.corpus).toBe(230);
    expect(report.queries).toBe(14);
    expect(report.modes.default!['ndcg@10']).toBeGreaterThan(report.modes.bm25!['ndcg@10']);
    expect(report.modes.default!['ndcg@10']).toBeGreaterThan(0.85);
    expect(report.modes.default!['mrr@10']).toBeGreaterThan(0.95);
  });
});
