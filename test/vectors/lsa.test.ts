import { describe, expect, it } from 'vitest';
import { encodeDense } from '../../src/vectors/quantize.ts';
import { DEFAULT_LSA, fitLsa, LsaModel } from '../../src/vectors/lsa.ts';
import { DEFAULT_SPARSE, SparseIndex } from '../../src/vectors/sparse-index.ts';
import { TermNames } from '../../src/vectors/term-names.ts';
import { DocFreq } from '../../src/vectors/tfidf.ts';

const TOPICS = [
  'neural network training with gradient descent and batch normalization',
  'protein folding structure prediction with deep learning models',
  'galaxy cluster dark matter observations from the telescope survey',
  'quantum error correction codes for superconducting qubits',
];

function corpus(n: number): { title: string; abstract: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const a = TOPICS[i % TOPICS.length];
    const b = TOPICS[(i * 7 + 1) % TOPICS.length];
    return { title: `${a.split(' ').slice(0, 3).join(' ')} ${i % 5}`, abstract: `${a}. ${b.split(' ').slice(i % 3).join(' ')}` };
  });
}

describe('the built-in model', () => {
  it('fits the same model from the sparse table as from a first pass over the documents', async () => {
    const sparse = new SparseIndex(DEFAULT_SPARSE);
    const counts = corpus(200).map((d) => {
      const c = sparse.count(d);
      sparse.table.add(c);
      return c;
    });
    const cfg = { ...DEFAULT_LSA, dims: 8, minDf: 2 };
    const scanned = await fitLsa(() => counts, sparse.space.size, cfg);
    let reads = 0;
    const fromTable = await fitLsa(
      function* () {
        reads++;
        yield* counts;
      },
      sparse.space.size,
      cfg,
      undefined,
      sparse.table,
    );
    expect(reads).toBe(1);
    expect([...fromTable.cols]).toEqual([...scanned.cols]);
    expect([...fromTable.proj]).toEqual([...scanned.proj]);
    // The table given is left as it was (the word-only cut works on a copy).
    expect(sparse.table.df.some((df, id) => id % 2 === 1 && df > 0)).toBe(true);
    // Embedding: a unit vector, the same on a reloaded model, and zero for a document sharing no column.
    const v = fromTable.project(counts[3]);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    const back = LsaModel.fromBuffer(fromTable.toBuffer());
    expect([...back.project(counts[3])]).toEqual([...v]);
    expect([...fromTable.project({ ids: Uint32Array.from([2 ** 21 + 8]), counts: Uint16Array.from([1]) })].every((x) => x === 0)).toBe(true);
    // Stored as int8 with a scale: the bytes hold round(v / scale).
    const enc = encodeDense(v);
    const scale = Math.max(...v.map(Math.abs)) / 127;
    expect(enc.readFloatLE(0)).toBe(Math.fround(scale));
    expect([...new Int8Array(enc.buffer, enc.byteOffset + 4, v.length)]).toEqual([...v].map((x) => Math.round(x / scale) + 0));
  });
});

describe('naming sparse features', () => {
  it('names a feature once it is shared by two papers, and never renames one a loaded table already names', () => {
    const sparse = new SparseIndex(DEFAULT_SPARSE);
    const id = sparse.space.idOf('collaps');
    const first = sparse.count({ title: 'Neural collapse', abstract: '' });
    sparse.table.add(first);
    expect(sparse.names.has(id)).toBe(false);
    sparse.table.add(sparse.count({ title: 'Collapse again', abstract: '' }));
    expect(sparse.names.get(id)).toBe('collaps');

    const loaded = new SparseIndex(DEFAULT_SPARSE, DocFreq.fromBuffer(sparse.table.toBuffer()), new TermNames(Buffer.from(`${id}\tfirst name`)));
    loaded.table.add(loaded.count({ title: 'collapse collapse', abstract: '' }));
    expect(loaded.names.get(id)).toBe('first name');
    const neural = loaded.space.idOf('neural');
    loaded.table.add(loaded.count({ title: 'neural', abstract: '' }));
    expect(loaded.names.get(neural)).toBe('neural');
  });
});
