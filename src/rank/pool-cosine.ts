/**
 * Cosines within a small pool of rows (the head of a ranking that MMR
 * diversifies), by pool position. MMR compares every remaining row with the
 * row it just picked, so that row is scattered once into a dense scratch over
 * the pool's own terms and each comparison is one pass over the other row:
 * the same products, added in the same order, as a merge of the two. Pure.
 */
import type { FeatureRow } from './recommend-linear.ts';

export function poolCosine(rows: FeatureRow[]): (i: number, j: number) => number {
  const local = new Map<number, number>();
  const ids = rows.map((r) => {
    const out = new Int32Array(r.indices.length);
    for (let k = 0; k < r.indices.length; k++) {
      let l = local.get(r.indices[k]);
      if (l === undefined) local.set(r.indices[k], (l = local.size));
      out[k] = l;
    }
    return out;
  });
  const scratch = new Float64Array(local.size);
  let scattered = -1;
  return (i, j) => {
    if (scattered !== j) {
      if (scattered >= 0) for (const l of ids[scattered]) scratch[l] = 0;
      const v = rows[j].values;
      ids[j].forEach((l, k) => (scratch[l] = v[k]));
      scattered = j;
    }
    const a = rows[i];
    const li = ids[i];
    let s = 0;
    for (let k = 0; k < li.length; k++) {
      const b = scratch[li[k]];
      if (b !== 0) s += a.values[k] * b;
    }
    const bd = rows[j].dense;
    if (a.dense && bd) {
      const n = Math.min(a.dense.length, bd.length);
      for (let k = 0; k < n; k++) s += a.dense[k] * bd[k];
    }
    return s;
  };
}
