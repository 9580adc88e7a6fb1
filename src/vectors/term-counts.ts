/**
 * A document's raw term counts in a hashed feature space, and their compact
 * byte encoding for the store.
 *
 * Why counts and hashing (not stored TF-IDF vectors over a fitted vocabulary):
 * IDF changes every time papers arrive. Storing raw counts keyed by a hash of
 * the term means a paper is tokenised once, at import; the IDF is applied when
 * the vector is read, from a running document-frequency table. Importing 100
 * papers therefore touches 100 rows plus the table, never the other papers, and
 * the document-frequency cut-offs (min_df, max_df, max_features) are applied at
 * read time too, so they stay right as the corpus grows. Hashing keeps the table
 * a fixed-size array (no unbounded vocabulary of bigrams at a million papers).
 */

/** Sorted feature ids with their counts. */
export interface TermCounts {
  ids: Uint32Array;
  counts: Uint16Array;
}

function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Delta-coded varints: about 3 bytes per distinct term (ids are sorted, gaps are small). */
export function encodeCounts(c: TermCounts): Buffer {
  const out: number[] = [];
  writeVarint(out, c.ids.length);
  let prev = 0;
  for (let k = 0; k < c.ids.length; k++) {
    writeVarint(out, c.ids[k] - prev);
    writeVarint(out, c.counts[k]);
    prev = c.ids[k];
  }
  return Buffer.from(out);
}

export function decodeCounts(buf: Uint8Array): TermCounts {
  let pos = 0;
  const read = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error('term counts: truncated encoding');
      const b = buf[pos++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  const n = read();
  const ids = new Uint32Array(n);
  const counts = new Uint16Array(n);
  let prev = 0;
  for (let k = 0; k < n; k++) {
    prev += read();
    ids[k] = prev;
    counts[k] = read();
  }
  return { ids, counts };
}
