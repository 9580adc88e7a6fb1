/**
 * Bulk loading: a large import that defers the upkeep of derived structures
 * (full-text indexes, query-only secondary indexes) while papers are written,
 * then rebuilds them in one pass. Both backends implement it; the importer
 * uses it when the store has it.
 */

export interface BulkLoadState {
  /** When the bulk load began (ISO); the derived structures have been behind the papers since. */
  startedAt: string;
  /** What was set aside, for messages: `trigger papers_fts_insert`, `index papers_seq`. */
  deferred: string[];
  /** Set while another live process is loading (`pid N on HOST`): leave the load to it. Absent for an abandoned load. */
  runningIn?: string;
}

export interface BulkLoadStore {
  /**
   * The bulk load in progress or cut short (a killed import), else undefined.
   * While it is set, full-text search misses papers written since `startedAt`.
   */
  pending(): Promise<BulkLoadState | undefined>;
  /** Papers stored: what the final rebuild covers, so the importer can weigh a switch. */
  storedPapers(): Promise<number>;
  /**
   * Stops maintaining the derived structures, and records that they are
   * behind (in the same transaction). When a bulk load is pending already,
   * this process takes it over: a resumed import carries on in bulk mode.
   */
  begin(now: string): Promise<BulkLoadState>;
  /**
   * Restores what `begin` set aside and rebuilds it from the papers, one
   * transaction per phase, saying what each phase did; clears the record
   * last. A kill at any point leaves the record set, and the next `finish`
   * starts over from the phase that did not commit.
   */
  finish(progress?: (message: string) => void): Promise<void>;
}
