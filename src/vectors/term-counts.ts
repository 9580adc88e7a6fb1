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

export function decodeCounts(buf: Uint8Array, start = 0): TermCounts {
  // Hot path (every candidate of every similar-papers query): one-byte values
  // read inline, 32-bit shifts for the common case, typed arrays only.
  let pos = start;
  const len = buf.length;
  const readVarint = (): number => {
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
  const n = readVarint();
  const ids = new Uint32Array(n);
  const counts = new Uint16Array(n);
  let prev = 0;
  for (let k = 0; k < n; k++) {
    // Inline single-byte fast path: most gaps and counts fit in one or two bytes.
    let b = pos < len ? buf[pos] : 0x80;
    let gap: number;
    if (b < 0x80 && pos < len) {
      gap = b;
      pos++;
    } else gap = readVarint();
    prev += gap;
    ids[k] = prev;
    b = pos < len ? buf[pos] : 0x80;
    if (b < 0x80 && pos < len) {
      counts[k] = b;
      pos++;
    } else counts[k] = readVarint();
  }
  return { ids, counts };
}
