/** Paper records as stored, the paper store, and the model/vector blobs indexes keep beside them. */
import type { Paper, PaperRecord, Provenance } from '../../paper/types.ts';

/** A paper as stored: the merged Paper plus the store's handle for it. */
export interface StoredPaper extends Paper {
  /**
   * Internal integer handle. Stable while the paper exists; when two papers are
   * found to be one, the survivor keeps its pk and the other is reported in
   * `changesSince().removed`. Indexes (vectors, ANN labels) key on it.
   */
  pk: number;
  /** Change counter: bumped on every write to this paper; see `changesSince`. */
  seq: number;
}

export interface ImportCounts {
  /** Records that created a new paper. */
  added: number;
  /** Records that added information to a paper already stored (or added earlier in the same run). */
  updated: number;
  /** Records that matched a stored paper and told the store nothing new. */
  unchanged: number;
  /** Stored papers folded into another because a record showed them to be the same paper. */
  merged: number;
}

export interface RecordOutcome {
  locator: string;
  outcome: 'added' | 'updated' | 'unchanged';
  id: string;
  pk: number;
}

export interface UpsertResult {
  counts: ImportCounts;
  outcomes: RecordOutcome[];
}

export type ListSort = 'date' | 'upvotes' | 'trending';

export interface ListOptions {
  /** Inclusive listing-date range (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** Any of these categories. */
  categories?: string[];
  sort?: ListSort;
  /** The day `trending` measures age from (default: today). */
  asOf?: string;
  limit?: number;
  offset?: number;
}

/** What a map or a topic build needs of a paper, without its full record. */
export interface PaperBrief {
  pk: number;
  id: string;
  title: string;
  listingDate?: string;
}

export interface PaperChanges {
  /** Papers written after the given seq, oldest change first. */
  papers: StoredPaper[];
  /** pks that no longer exist (merged into another paper or deleted). */
  removed: number[];
  /** Pass this to the next call. */
  lastSeq: number;
}

export interface StoreStats {
  papers: number;
  profiles: number;
  authors: number;
  withAbstract: number;
  withoutTitle: number;
  categories: number;
  firstDay?: string;
  lastDay?: string;
  sources: Record<string, number>;
}

export interface PaperStore {
  /**
   * Merges records into the store in one transaction: each record joins the
   * paper it matches (by arXiv id, DOI, normalised title or abstract opening)
   * or becomes a new one. All-or-nothing per call.
   */
  upsertPapers(records: PaperRecord[], now: string): Promise<UpsertResult>;
  /** By canonical id or any id the paper was known under (merged-away ids, arXiv id, DOI). */
  getPaper(id: string): Promise<StoredPaper | undefined>;
  getPapersByPk(pks: number[]): Promise<StoredPaper[]>;
  /** Id, title and listing day of papers by pk (absent pks are left out): cheap enough for every point of a map. */
  paperBriefs(pks: number[]): Promise<PaperBrief[]>;
  provenance(pk: number): Promise<Provenance[]>;
  listPapers(opts: ListOptions): Promise<{ papers: StoredPaper[]; total: number }>;
  /** Days that have papers, with counts, newest first: the daily listing's navigation. */
  listingDays(opts: { from?: string; to?: string; limit?: number }): Promise<{ day: string; count: number }[]>;
  /** The pks of the papers listed from `from` to `to` (inclusive days), without loading them: a feed over a long window scores these first. */
  windowPks(from: string, to: string): Promise<number[]>;
  /** Papers with an author whose folded name equals the folded `name`. */
  papersByAuthor(name: string, limit?: number): Promise<StoredPaper[]>;
  /** Author names matching a folded prefix/word, with paper counts: for disambiguation. */
  findAuthors(query: string, limit?: number): Promise<{ name: string; papers: number }[]>;
  /** Incremental change feed for index maintenance. */
  changesSince(seq: number, limit: number): Promise<PaperChanges>;
  /** Every paper, in pk order, in pages: for index builds. */
  scanPapers(batchSize: number): AsyncIterable<StoredPaper[]>;
  stats(): Promise<StoreStats>;
}

/** A paper's machine-generated one-sentence summary (or why there is none yet). */
export interface Tldr {
  /** The model that wrote it. */
  model: string;
  text?: string;
  /** The last failure, when there is no text. */
  error?: string;
  attempts: number;
  updatedAt: string;
}

export interface TldrStore {
  getTldrs(pks: number[]): Promise<Map<number, Tldr>>;
  /** Records a TL;DR (`text`) or a failed attempt (`error`: attempts go up, a stored text is kept). */
  putTldr(pk: number, t: { model: string; text?: string; error?: string }, now: string): Promise<void>;
}

/** Named binary blobs: fitted models (vocabularies, projections), ANN snapshots. */
export interface ModelStore {
  putModel(name: string, data: Buffer, meta: Record<string, unknown>): Promise<void>;
  getModel(name: string): Promise<{ data: Buffer; meta: Record<string, unknown>; builtAt: string } | undefined>;
}

/** Per-paper vectors under a model name (e.g. `lsa-256`, `tfidf`). */
export interface VectorStore {
  putVectors(model: string, rows: { pk: number; vector: Buffer }[]): Promise<void>;
  getVectors(model: string, pks: number[]): Promise<Map<number, Buffer>>;
  scanVectors(model: string, batchSize: number): AsyncIterable<{ pk: number; vector: Buffer }[]>;
  deleteVectors(model: string): Promise<void>;
  countVectors(model: string): Promise<number>;
}
