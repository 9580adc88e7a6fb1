import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitProductFeaturizer, runExpertiseEval } from '../../src/eval/expertise.ts';
import { recencyRankWeights, zoteroArxivDailyScores } from '../../src/rank/baselines/zotero-arxiv-daily.ts';
import { fitSanityTfidf, sanityAnalyze } from '../../src/rank/baselines/arxiv-sanity-lite.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A reviewer-match-shaped data set: each researcher rates papers on, near and off their topic. */
function writeDataset(dir: string) {
  const topics = {
    collapse: 'neural collapse last layer features class means weight decay batch normalization terminal phase training',
    reasoning: 'chain of thought reasoning language models latent reasoning token efficiency overthinking test time compute',
    speech: 'speech recognition acoustic models transducer streaming audio spectrogram word error rate',
    graphs: 'graph neural networks message passing molecules node classification over smoothing',
  } as const;
  const text = (t: keyof typeof topics, i: number) => `${topics[t].split(' ').filter((_, k) => (k + i) % 3 !== 0).join(' ')} study ${i}`;
  const profiles: string[] = [];
  const papers: string[] = [];
  const ratings = ['participant\tpaper\texpertise'];
  const names = Object.keys(topics) as (keyof typeof topics)[];
  names.forEach((mine, r) => {
    const own = Array.from({ length: 6 }, (_, i) => ({ id: `${mine}-own-${i}`, title: `On ${mine} ${i}`, abstract: text(mine, i), year: 2018 + i }));
    profiles.push(JSON.stringify({ participant: `r${r}`, papers: own }));
    names.forEach((other, o) => {
      for (let i = 0; i < 2; i++) {
        const id = `${mine}-rated-${other}-${i}`;
        papers.push(JSON.stringify({ id, title: `A paper about ${other}`, abstract: text(other, i + 7) }));
        ratings.push(`r${r}\t${id}\t${other === mine ? 5 : o === (r + 1) % 4 ? 2 : 1}`);
      }
    });
  });
  writeFileSync(join(dir, 'profiles.jsonl'), profiles.join('\n'));
  writeFileSync(join(dir, 'papers.jsonl'), papers.join('\n'));
  writeFileSync(join(dir, 'ratings.tsv'), ratings.join('\n'));
  const bg = Array.from({ length: 60 }, (_, i) => JSON.stringify({ title: `Background ${i}`, abstract: text(names[i % 4], i + 20) + ' vision transformers images' }));
  writeFileSync(join(dir, 'bg.jsonl'), bg.join('\n'));
}

describe('radar eval expertise harness', () => {
  it('scores every method with the weighted Kendall-tau loss and a split-half check', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeDataset(dir);
    const r = await runExpertiseEval(dir, fitProductFeaturizer, { background: join(dir, 'bg.jsonl'), splits: 5, negatives: 40 });
    expect(r.researchers).toBe(4);
    expect(Object.keys(r.methods)).toEqual(expect.arrayContaining(['default', 'zotero-arxiv-daily', 'arxiv-sanity-lite', 'tfidf-max', 'tfidf-top3', 'tfidf-mean']));
    // On-topic papers are easy to find here: the product's model orders nearly every pair right.
    expect(r.methods.default.loss).toBeLessThan(0.15);
    expect(r.methods['tfidf-max'].loss).toBeLessThan(0.2);
    expect(r.splitHalf.splits).toBe(10);
    expect(r.published['SPECTER+MFR']).toBe(0.215);
    expect(r.background).toEqual({ path: join(dir, 'bg.jsonl'), papers: 60 });
  });

  it('gives each loss an interval over researchers, pairs the default with every method and cross-validates its variants', async () => {
    const dir = tempDir();
    writeDataset(dir);
    const r = await runExpertiseEval(dir, fitProductFeaturizer, { background: join(dir, 'bg.jsonl'), splits: 2, negatives: 40 });
    for (const [name, m] of Object.entries(r.methods)) {
      expect(m.ci.value, name).toBeCloseTo(m.loss, 3);
      expect(m.ci.lo, name).toBeLessThanOrEqual(m.loss + 1e-9);
      expect(m.ci.hi, name).toBeGreaterThanOrEqual(m.loss - 1e-9);
      if (name === 'default') expect(m.vsDefault).toBeUndefined();
      else expect(m.vsDefault!.diff, name).toBeCloseTo(r.methods.default.loss - m.loss, 3);
    }
    expect(Object.keys(r.methods)).toEqual(expect.arrayContaining(['model no recency', 'model classifier only', 'model neighbours only', 'model max', 'model mean']));
    const s = r.selection!;
    expect(s.candidates[0]).toBe('default');
    expect(Object.values(s.chosen).reduce((a, b) => a + b, 0)).toBe(s.folds * s.repeats);
  });

  it('refuses to run cold start silently: a missing background is an error unless asked for', async () => {
    const dir = tempDir();
    writeDataset(dir);
    await expect(runExpertiseEval(dir, fitProductFeaturizer, {})).rejects.toThrow(/no background corpus: .*arxiv-daily.*--no-background/);
    await expect(runExpertiseEval(dir, fitProductFeaturizer, { background: join(dir, 'missing.jsonl') })).rejects.toThrow(/missing\.jsonl: file not found/);
    const cold = await runExpertiseEval(dir, fitProductFeaturizer, { noBackground: true, splits: 1, methods: ['default', 'tfidf-max'] });
    expect(cold.background).toEqual({ papers: 0 });
  });

  it('rejects a directory without the data set, naming the file', async () => {
    await expect(runExpertiseEval(tempDir(), fitProductFeaturizer)).rejects.toThrow(/papers\.jsonl: cannot read/);
  });
});

describe('public recipes', () => {
  it('zotero-arxiv-daily: weights 1/(1+log10(i+1)) by recency rank, normalised', () => {
    const w = recencyRankWeights(3);
    const raw = [1, 1 / (1 + Math.log10(2)), 1 / (1 + Math.log10(3))];
    const sum = raw.reduce((a, b) => a + b, 0);
    expect([...w]).toEqual(raw.map((x) => x / sum));
    // The newest library paper weighs most: a candidate equal to it beats one equal to the oldest.
    const lib = [
      { embedding: Float32Array.from([1, 0]), time: 2024 },
      { embedding: Float32Array.from([0, 1]), time: 2019 },
    ];
    const [newer, older] = zoteroArxivDailyScores(lib, [Float32Array.from([1, 0]), Float32Array.from([0, 1])]);
    expect(newer).toBeGreaterThan(older);
  });

  it('arxiv-sanity-lite: scikit-learn word analyzer (no stemming, English stop words, 1–2-grams) and df cut-offs', () => {
    expect(sanityAnalyze({ title: 'The Neural Collapse', abstract: 'of 3D features', authors: ['Ada Lovelace'] })).toEqual([
      'neural',
      'collapse',
      'features',
      'ada',
      'lovelace',
      'neural collapse',
      'collapse features',
      'features ada',
      'ada lovelace',
    ]);
    const docs = Array.from({ length: 100 }, (_, i) => ({ title: `common word${i % 20}`, abstract: i < 6 ? 'rare' : 'other' }));
    const v = fitSanityTfidf(docs);
    expect(v.vocabulary.has('common')).toBe(false); // in every document: above max_df 0.1
    expect(v.vocabulary.has('rare')).toBe(true); // 6 documents: ≥ min_df 5, ≤ 10
    expect(v.vocabulary.has('word3')).toBe(true); // 5 documents
  });
});
