import { describe, expect, it } from 'vitest';
import { decodeCounts, encodeCounts } from '../../src/vectors/term-counts.ts';
import { countDoc, HashedSpace, VocabularySpace, countIn } from '../../src/vectors/feature-space.ts';
import { DocFreq, idfWeights, sparseDot, weigh } from '../../src/vectors/tfidf.ts';
import { DEFAULT_ANALYZER } from '../../src/vectors/analyze.ts';

describe('term counts', () => {
  it('round-trips through the byte encoding, including large ids and counts', () => {
    const c = { ids: Uint32Array.from([0, 1, 127, 128, 16383, 16384, 2 ** 22 - 1]), counts: Uint16Array.from([1, 2, 3, 300, 1, 65535, 7]) };
    const back = decodeCounts(encodeCounts(c));
    expect([...back.ids]).toEqual([...c.ids]);
    expect([...back.counts]).toEqual([...c.counts]);
    expect(() => decodeCounts(encodeCounts(c).subarray(0, 5))).toThrow(/truncated/);
  });

  it('counts a document the same in a hashed space as hashing its term strings', () => {
    const space = new HashedSpace(16);
    const doc = { title: 'Neural collapse in deep networks', abstract: 'Neural collapse: the collapse of features. Networks collapse.' };
    const names = new Map<number, string>();
    const c = countDoc(space, doc, DEFAULT_ANALYZER, { wantName: () => true, setName: (id, t) => names.set(id, t) });
    const vocab = new VocabularySpace();
    const byString = countDoc(vocab, doc, DEFAULT_ANALYZER);
    const expected = new Map<number, number>();
    for (let k = 0; k < byString.ids.length; k++) {
      const id = space.idOf(vocab.name(byString.ids[k])!);
      expected.set(id, (expected.get(id) ?? 0) + byString.counts[k]);
    }
    expect(new Map([...c.ids].map((id, k) => [id, c.counts[k]]))).toEqual(expected);
    expect(c.counts[[...c.ids].indexOf(space.idOf('collaps'))]).toBe(4);
    expect(names.get(space.idOf('neural collaps'))).toBe('neural collaps');
  });
});

describe('tf-idf weighting', () => {
  // Three documents over a vocabulary; values checked against the formulas by hand.
  const vocab = new VocabularySpace();
  const docs = [['a', 'a', 'b'], ['b', 'c'], ['c', 'c', 'c', 'd']].map((t) => countIn(vocab, t));
  const table = new DocFreq(vocab.size);
  for (const d of docs) table.add(d);
  const id = (t: string) => vocab.idOf(t);

  it('uses smooth idf ln((1+n)/(1+df)) + 1, sublinear tf and L2 normalisation', () => {
    const idf = idfWeights(table, { sublinear: true, smoothIdf: true, minDf: 1, maxDf: 1 });
    expect(idf[id('a')]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(idf[id('b')]).toBeCloseTo(Math.log(4 / 3) + 1, 6);
    const v = weigh(docs[0], idf, true);
    const wa = (1 + Math.log(2)) * (Math.log(2) + 1);
    const wb = 1 * (Math.log(4 / 3) + 1);
    const n = Math.hypot(wa, wb);
    expect([...v.indices]).toEqual([id('a'), id('b')]);
    expect(v.values[0]).toBeCloseTo(wa / n, 6);
    expect(v.values[1]).toBeCloseTo(wb / n, 6);
    // raw tf without smoothing
    const raw = weigh(docs[2], idfWeights(table, { sublinear: false, smoothIdf: false, minDf: 1, maxDf: 1 }), false);
    const wc = 3 * (Math.log(3 / 2) + 1);
    const wd = 1 * (Math.log(3) + 1);
    expect(raw.values[0]).toBeCloseTo(wc / Math.hypot(wc, wd), 6);
  });

  it('applies min_df / max_df (counts or shares) and max_features by corpus frequency', () => {
    const keep = (cfg: Parameters<typeof idfWeights>[1]) => {
      const idf = idfWeights(table, cfg);
      return ['a', 'b', 'c', 'd'].filter((t) => idf[id(t)] > 0);
    };
    expect(keep({ sublinear: true, smoothIdf: true, minDf: 2, maxDf: 1 })).toEqual(['b', 'c']);
    expect(keep({ sublinear: true, smoothIdf: true, minDf: 1, maxDf: 0.5 })).toEqual(['a', 'd']);
    expect(keep({ sublinear: true, smoothIdf: true, minDf: 1, maxDf: 1, maxFeatures: 2 })).toEqual(['a', 'c']);
  });

  it('follows the corpus: removing a document restores the earlier table', () => {
    const before = table.toBuffer();
    const extra = countIn(vocab, ['a', 'd']);
    table.add(extra);
    expect(table.n).toBe(4);
    table.remove(extra);
    expect(table.toBuffer().equals(before)).toBe(true);
    expect(DocFreq.fromBuffer(before).df).toEqual(table.df);
  });

  it('computes cosine of sorted sparse vectors', () => {
    const a = { indices: Uint32Array.from([1, 3, 5]), values: Float32Array.from([0.6, 0.8, 0]) };
    const b = { indices: Uint32Array.from([0, 3, 5]), values: Float32Array.from([1, 0.5, 2]) };
    expect(sparseDot(a, b)).toBeCloseTo(0.4, 6);
  });
});
