import { describe, expect, it } from 'vitest';
import { dot, trainLinearSvm, type FeatureRow } from '../../src/rank/recommend-linear.ts';
import { recencyWeight, trainProfileModel, type PaperFeatures } from '../../src/rank/recommend.ts';

/** A unit sparse vector over the given term indices (equal weights). */
function doc(...terms: number[]): PaperFeatures {
  const idx = [...new Set(terms)].sort((a, b) => a - b);
  const v = 1 / Math.sqrt(idx.length);
  return { indices: Uint32Array.from(idx), values: Float32Array.from(idx, () => v) };
}

describe('linear SVM (dual coordinate descent)', () => {
  it('separates two classes and puts unseen papers on the right side', () => {
    const pos: FeatureRow[] = [doc(0, 1, 2), doc(0, 1, 3), doc(1, 2, 3)];
    const neg: FeatureRow[] = [doc(5, 6, 7), doc(6, 7, 8), doc(5, 8, 9), doc(4, 6, 9)];
    const m = trainLinearSvm([...pos.map((x) => ({ x, y: 1 as const })), ...neg.map((x) => ({ x, y: -1 as const }))], { sparse: 10, dense: 0 }, { C: 1, classWeight: 'balanced' });
    for (const x of pos) expect(dot(m, x)).toBeGreaterThan(0);
    for (const x of neg) expect(dot(m, x)).toBeLessThan(0);
    expect(dot(m, doc(0, 2))).toBeGreaterThan(dot(m, doc(7, 9)));
  });

  it('is deterministic for a seed', () => {
    const ex = [doc(0, 1), doc(1, 2), doc(3, 4), doc(4, 5)].map((x, i) => ({ x, y: (i < 2 ? 1 : -1) as 1 | -1 }));
    const a = trainLinearSvm(ex, { sparse: 6, dense: 0 }, { C: 0.5, seed: 3 });
    const b = trainLinearSvm(ex, { sparse: 6, dense: 0 }, { C: 0.5, seed: 3 });
    expect([...a.sparse]).toEqual([...b.sparse]);
  });

  it('uses the dense block as features too', () => {
    const d = (a: number, b: number): FeatureRow => ({ indices: new Uint32Array(), values: new Float32Array(), dense: Float32Array.from([a, b]) });
    const m = trainLinearSvm(
      [{ x: d(1, 0), y: 1 }, { x: d(0.9, 0.1), y: 1 }, { x: d(0, 1), y: -1 }, { x: d(0.1, 0.9), y: -1 }],
      { sparse: 0, dense: 2 },
      { C: 1 },
    );
    expect(dot(m, d(0.8, 0.2))).toBeGreaterThan(0);
    expect(dot(m, d(0.2, 0.8))).toBeLessThan(0);
  });
});

describe('profile model', () => {
  const background = Array.from({ length: 40 }, (_, i) => ({ features: doc(10 + (i % 20), 30 + ((i * 7) % 20), 50 + ((i * 3) % 10)) }));

  it('ranks a paper on the profile topic above background, in background standard deviations', () => {
    const positives = [doc(0, 1, 2), doc(0, 1, 3), doc(0, 2, 3), doc(1, 2, 4)].map((features, i) => ({ features, key: i }));
    const model = trainProfileModel(positives, background, { sparse: 64, dense: 0 });
    expect(model.coldStart).toBe(false);
    const onTopic = model.score(doc(0, 1, 2, 60));
    const offTopic = model.score(doc(12, 33, 61));
    expect(onTopic.score).toBeGreaterThan(2);
    expect(offTopic.score).toBeLessThan(onTopic.score - 2);
    expect(onTopic.nearest[0].key).toBe(0);
  });

  it('falls back to nearest-profile-paper similarity with too few positives', () => {
    const model = trainProfileModel([{ features: doc(0, 1), key: 'a' }, { features: doc(7, 8), key: 'b' }], background, { sparse: 64, dense: 0 });
    expect(model.coldStart).toBe(true);
    expect(model.sparseWeight(0)).toBe(0);
    const s = model.score(doc(7, 8, 9));
    expect(s.nearest[0].key).toBe('b');
    expect(s.score).toBeGreaterThan(model.score(doc(20, 21)).score);
  });

  it('lets a dismissed paper pull its neighbours down', () => {
    const positives = [doc(0, 1, 2), doc(0, 1, 3), doc(2, 3, 5), doc(1, 2, 5)].map((features, i) => ({ features, key: i }));
    const probe = doc(0, 5, 6);
    const before = trainProfileModel(positives, background, { sparse: 64, dense: 0 }).score(probe).score;
    const after = trainProfileModel(positives, [...background, { features: doc(5, 6), weight: 3 }, { features: doc(0, 5, 6, 7), weight: 3 }], { sparse: 64, dense: 0 }).score(probe).score;
    expect(after).toBeLessThan(before);
  });
});

describe('recency weight', () => {
  it('halves every three years and never drops below the floor', () => {
    expect(recencyWeight(0)).toBe(1);
    expect(recencyWeight(undefined)).toBe(1);
    expect(recencyWeight(3)).toBeCloseTo(0.5);
    expect(recencyWeight(30)).toBe(0.3);
  });
});
