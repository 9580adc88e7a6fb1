/**
 * The cosine of a prepared query with a stored paper's TF-IDF vector, read
 * straight from the paper's stored term counts: decoding, weighting,
 * normalising and the dot product in one pass over the bytes, with nothing
 * allocated. Similar papers score a few hundred candidates per call; building
 * two typed arrays per candidate for `decodeCounts` and two more for `weigh`
 * cost more than reading the rows (bench/similar-breakdown.ts).
 *
 * Same figure as `q.dot(weigh(decodeCounts(buf, start), idf, sublinear))` up
 * to float rounding (that path rounds each weight to float32).
 */
import type { SparseQuery } from './sparse-query.ts';
import { termWeight } from './tfidf.ts';

export function cosineOfCounts(q: SparseQuery, buf: Uint8Array, start: number, idf: Float32Array, sublinear: boolean): number {
  let pos = start;
  const len = buf.length;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (pos >= len) throw new Error('term counts: truncated encoding');
      const b = buf[pos++];
      v = shift < 28 ? v | ((b & 0x7f) << shift) : v + (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v >>> 0;
      shift += 7;
    }
  };
  const n = varint();
  let id = 0;
  let dot = 0;
  let norm = 0;
  for (let k = 0; k < n; k++) {
    let b = pos < len ? buf[pos] : 0x80;
    if (b < 0x80) {
      id += b;
      pos++;
    } else id += varint();
    b = pos < len ? buf[pos] : 0x80;
    let count: number;
    if (b < 0x80) {
      count = b;
      pos++;
    } else count = varint();
    const w = idf[id];
    if (!(w > 0)) continue;
    const v = termWeight(count, w, sublinear);
    norm += v * v;
    const qv = q.weight(id);
    if (qv !== 0) dot += qv * v;
  }
  return norm > 0 ? dot / Math.sqrt(norm) : 0;
}
