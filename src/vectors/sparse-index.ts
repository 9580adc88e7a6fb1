/**
 * The store-maintained sparse representation: every paper's hashed term counts
 * (VectorStore model `terms`) and the running document-frequency table with
 * readable term names (ModelStore `sparse:state`, `sparse:names`). TF-IDF
 * vectors are made when read, with the current IDF (see term-counts.ts for why).
 *
 * Crash safety: each stored row carries the epoch of the table save that
 * counts it. The table is saved with its epoch; a row written after the last
 * save (a refresh that died before saving) has a higher epoch and is treated
 * as not yet counted, so re-running the refresh neither counts it twice nor
 * takes out what was never put in.
 */
import { DEFAULT_ANALYZER, type AnalyzerConfig } from './analyze.ts';
import { SPARSE_HEAD, SPARSE_NAMES, SPARSE_STATE } from './sparse-presence.ts';
import { countDoc, HashedSpace } from './feature-space.ts';
import { cosineOfCounts } from './sparse-score.ts';
import { SparseQuery } from './sparse-query.ts';
import { decodeCounts, encodeCounts, type TermCounts } from './term-counts.ts';
import { TermNames, type NameTable } from './term-names.ts';
import { DEFAULT_WEIGHTING, DocFreq, idfWeights, weigh, type WeightingConfig } from './tfidf.ts';
import type { SparseVector, TextDoc } from './types.ts';
import type { ModelStore, VectorStore } from '../store/types.ts';

export interface SparseConfig {
  analyzer: AnalyzerConfig;
  /** Feature space of 2^hashBits ids (half for single words, half for n-grams and authors). */
  hashBits: number;
  weighting: WeightingConfig;
}

/**
 * Product defaults: title + abstract, words and bigrams, title counted twice,
 * sublinear tf, smoothed IDF, terms in at most half of the papers. Chosen on
 * the seed set and CSFCube (docs/retrieval.md has the figures).
 */
export const DEFAULT_SPARSE: SparseConfig = {
  analyzer: { ...DEFAULT_ANALYZER, titleRepeat: 2 },
  hashBits: 21,
  weighting: DEFAULT_WEIGHTING,
};

export const TERMS_MODEL = 'terms';
/** A tiny record of the saved table's seq and epoch (HEAD), written after it: readers check it rather than load the table. */
const STATE = SPARSE_STATE;
const NAMES = SPARSE_NAMES;
const HEAD = SPARSE_HEAD;

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('terms row: truncated');
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [v, pos];
    shift += 7;
  }
}

/** A stored row: epoch varint, then the counts. */
export function encodeTermsRow(epoch: number, c: TermCounts): Buffer {
  const head: number[] = [];
  let v = epoch;
  while (v >= 0x80) {
    head.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  head.push(v);
  return Buffer.concat([Buffer.from(head), encodeCounts(c)]);
}

export function decodeTermsRow(buf: Uint8Array): { epoch: number; counts: TermCounts } {
  const [epoch, pos] = readVarint(buf, 0);
  return { epoch, counts: decodeCounts(buf, pos) };
}

export class SparseIndex {
  readonly space: HashedSpace;
  /** Last change seq the table covers. */
  seq = 0;
  /** Epoch of the last saved table; rows written now carry epoch + 1. */
  epoch = 0;
  /** Bumped on every table change, so cached IDF knows when to rebuild. */
  private version = 0;
  private idfCache?: { version: number; idf: Float32Array };
  private namesDirty = false;
  /**
   * Which ids have a name, one byte per feature: counting asks for every
   * document's new ids, and a lookup in a table of millions of names cost more
   * than the counting itself at a million papers.
   */
  private named?: Uint8Array;

  constructor(
    readonly cfg: SparseConfig,
    readonly table: DocFreq = new DocFreq(2 ** cfg.hashBits),
    readonly names: NameTable = new Map<number, string>(),
  ) {
    this.space = new HashedSpace(cfg.hashBits);
    this.space.names = names;
  }

  get papers(): number {
    return this.table.n;
  }

  static async load(store: ModelStore): Promise<SparseIndex | undefined> {
    const state = await store.getModel(STATE);
    if (!state) return undefined;
    const cfg = state.meta.config as SparseConfig;
    // Off the heap: the names are most of a loaded index's memory (see term-names.ts).
    const stored = await store.getModel(NAMES);
    const names = new TermNames(stored ? Buffer.from(stored.data) : undefined);
    const idx = new SparseIndex(cfg, DocFreq.fromBuffer(state.data), names);
    idx.seq = Number(state.meta.seq ?? 0);
    idx.epoch = Number(state.meta.epoch ?? 0);
    return idx;
  }

  async save(store: ModelStore): Promise<void> {
    this.epoch++;
    if (this.namesDirty) {
      const lines: string[] = [];
      for (const [id, t] of this.names) lines.push(`${id}\t${t}`);
      await store.putModel(NAMES, Buffer.from(lines.join('\n'), 'utf8'), { terms: this.names.size });
      this.namesDirty = false;
    }
    await store.putModel(STATE, this.table.toBuffer(), { config: this.cfg, seq: this.seq, epoch: this.epoch, papers: this.table.n });
    await store.putModel(HEAD, Buffer.alloc(0), { seq: this.seq, epoch: this.epoch });
  }

  /** Which saved table the store holds (`seq:epoch`), without loading it; undefined for stores saved before heads were written. */
  static async head(store: ModelStore): Promise<string | undefined> {
    const h = await store.getModel(HEAD);
    return h ? `${h.meta.seq}:${h.meta.epoch}` : undefined;
  }

  /** This table's head, as `head()` gives it. */
  get mark(): string {
    return `${this.seq}:${this.epoch}`;
  }

  /** Counts a document; names features as they become shared by two papers (what explanations can show). */
  count(doc: TextDoc): TermCounts {
    if (!this.named) {
      this.named = new Uint8Array(this.space.size);
      for (const id of this.names.keys()) this.named[id] = 1;
    }
    const named = this.named;
    const df = this.table.df;
    return countDoc(this.space, doc, this.cfg.analyzer, {
      wantName: (id) => df[id] >= 1 && named[id] === 0,
      setName: (id, t) => {
        named[id] = 1;
        this.names.set(id, t);
        this.namesDirty = true;
      },
    });
  }

  /** Counts a query's text without naming anything. */
  countQuery(doc: TextDoc): TermCounts {
    return countDoc(this.space, doc, this.cfg.analyzer);
  }

  /**
   * Brings papers' rows up to date: reads their previous rows, swaps their
   * contribution to the table, writes the new rows. Returns the new counts.
   */
  async update(store: VectorStore, papers: { pk: number; doc: TextDoc }[]): Promise<Map<number, TermCounts>> {
    const old = await store.getVectors(TERMS_MODEL, papers.map((p) => p.pk));
    const out = new Map<number, TermCounts>();
    const rows: { pk: number; vector: Buffer }[] = [];
    for (const p of papers) {
      const prev = old.get(p.pk);
      if (prev) {
        const row = decodeTermsRow(prev);
        if (row.epoch <= this.epoch) this.table.remove(row.counts);
      }
      const c = this.count(p.doc);
      this.table.add(c);
      out.set(p.pk, c);
      rows.push({ pk: p.pk, vector: encodeTermsRow(this.epoch + 1, c) });
    }
    await store.putVectors(TERMS_MODEL, rows);
    this.version++;
    return out;
  }

  /** Recounts the table from the stored rows (exact again after merges took rows away). */
  async recount(store: VectorStore, batch = 5000): Promise<void> {
    const table = new DocFreq(this.table.size);
    for await (const rows of store.scanVectors(TERMS_MODEL, batch)) for (const r of rows) table.add(decodeTermsRow(r.vector).counts);
    this.table.df.set(table.df);
    this.table.cf.set(table.cf);
    this.table.n = table.n;
    this.version++;
  }

  /** Current IDF (rebuilt lazily after the table changed). */
  idf(): Float32Array {
    if (!this.idfCache || this.idfCache.version !== this.version) this.idfCache = { version: this.version, idf: idfWeights(this.table, this.cfg.weighting) };
    return this.idfCache.idf;
  }

  weigh(c: TermCounts): SparseVector {
    return weigh(c, this.idf(), this.cfg.weighting.sublinear);
  }

  /** TF-IDF vectors of stored papers (absent: not indexed yet). */
  async vectors(store: VectorStore, pks: number[]): Promise<Map<number, SparseVector>> {
    const rows = await store.getVectors(TERMS_MODEL, pks);
    const out = new Map<number, SparseVector>();
    for (const [pk, buf] of rows) out.set(pk, this.weigh(decodeTermsRow(buf).counts));
    return out;
  }

  /**
   * Cosine of `q` with each stored paper of `pks` (absent: not indexed yet),
   * scored from the stored bytes without building the papers' vectors.
   */
  async cosines(store: VectorStore, q: SparseVector, pks: number[]): Promise<Map<number, number>> {
    const rows = await store.getVectors(TERMS_MODEL, pks);
    const sq = new SparseQuery(q);
    const idf = this.idf();
    const sublinear = this.cfg.weighting.sublinear;
    const out = new Map<number, number>();
    for (const [pk, buf] of rows) out.set(pk, cosineOfCounts(sq, buf, readVarint(buf, 0)[1], idf, sublinear));
    return out;
  }

  async counts(store: VectorStore, pks: number[]): Promise<Map<number, TermCounts>> {
    const rows = await store.getVectors(TERMS_MODEL, pks);
    const out = new Map<number, TermCounts>();
    for (const [pk, buf] of rows) out.set(pk, decodeTermsRow(buf).counts);
    return out;
  }

  term(id: number): string | undefined {
    return this.names.get(id);
  }
}
