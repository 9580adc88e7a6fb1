/**
 * TEMPORARY stand-in for the representations layer (issue 3b, src/vectors):
 * unigram+bigram sublinear TF-IDF fitted on the store's papers in memory.
 * Replaced by the real retrieval service's features once it lands; nothing
 * else may import this file.
 */
import { terms } from '../text/tokenize.ts';
import type { PaperFeatures } from '../rank/recommend.ts';
import type { Store, StoredPaper } from '../store/types.ts';
import type { FeatureSource } from './model.ts';

function tokens(p: Pick<StoredPaper, 'title' | 'abstract'>): string[] {
  const t = terms(`${p.title}. ${p.abstract}`);
  const out = [...t];
  for (let i = 0; i + 1 < t.length; i++) out.push(`${t[i]} ${t[i + 1]}`);
  return out;
}

export async function standinFeatureSource(store: Store): Promise<FeatureSource> {
  const df = new Map<string, number>();
  const docs = new Map<number, string[]>();
  let n = 0;
  for await (const batch of store.scanPapers(2000)) {
    for (const p of batch) {
      if (!p.title && !p.abstract) continue;
      const t = tokens(p);
      docs.set(p.pk, t);
      n++;
      for (const w of new Set(t)) df.set(w, (df.get(w) ?? 0) + 1);
    }
  }
  const minDf = n > 1000 ? 3 : 1;
  const vocab = new Map<string, number>();
  const names: string[] = [];
  for (const [w, c] of df) {
    if (c >= minDf && c <= Math.max(2, 0.5 * n)) {
      vocab.set(w, names.length);
      names.push(w);
    }
  }
  const idf = new Float64Array(names.length);
  names.forEach((w, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(w)!)) + 1));
  const vec = (t: string[]): PaperFeatures => {
    const c = new Map<number, number>();
    for (const w of t) {
      const i = vocab.get(w);
      if (i !== undefined) c.set(i, (c.get(i) ?? 0) + 1);
    }
    const idx = [...c.keys()].sort((a, b) => a - b);
    const vals = idx.map((i) => (1 + Math.log(c.get(i)!)) * idf[i]);
    const norm = Math.hypot(...vals) || 1;
    return { indices: Uint32Array.from(idx), values: Float32Array.from(vals, (v) => v / norm) };
  };
  return {
    dims: { sparse: names.length, dense: 0 },
    async features(pks) {
      const out = new Map<number, PaperFeatures>();
      const missing = pks.filter((pk) => !docs.has(pk));
      for (const p of await store.getPapersByPk(missing)) if (p.title || p.abstract) docs.set(p.pk, tokens(p));
      for (const pk of pks) {
        const t = docs.get(pk);
        if (t) out.set(pk, vec(t));
      }
      return out;
    },
    term: (i) => names[i],
  };
}

/** TEMPORARY: the same stand-in as a featuriser fitted on texts, for `radar eval expertise`. */
export function fitStandinTfidf(corpus: { title: string; abstract: string }[]): { dims: { sparse: number; dense: number }; vectorize(d: { title: string; abstract: string }): PaperFeatures; term(i: number): string | undefined } {
  const df = new Map<string, number>();
  for (const d of corpus) for (const w of new Set(tokens(d))) df.set(w, (df.get(w) ?? 0) + 1);
  const n = corpus.length;
  const minDf = n > 1000 ? 2 : 1;
  const names: string[] = [];
  const vocab = new Map<string, number>();
  for (const [w, c] of df) if (c >= minDf && c <= Math.max(2, 0.5 * n)) (vocab.set(w, names.length), names.push(w));
  const idf = new Float64Array(names.length);
  names.forEach((w, i) => (idf[i] = Math.log((1 + n) / (1 + df.get(w)!)) + 1));
  return {
    dims: { sparse: names.length, dense: 0 },
    vectorize(d) {
      const c = new Map<number, number>();
      for (const w of tokens(d)) {
        const i = vocab.get(w);
        if (i !== undefined) c.set(i, (c.get(i) ?? 0) + 1);
      }
      const idx = [...c.keys()].sort((a, b) => a - b);
      const vals = idx.map((i) => (1 + Math.log(c.get(i)!)) * idf[i]);
      const norm = Math.hypot(...vals) || 1;
      return { indices: Uint32Array.from(idx), values: Float32Array.from(vals, (v) => v / norm) };
    },
    term: (i) => names[i],
  };
}
