/**
 * What `radar migrate` copies from an embedded (SQLite) database into
 * PostgreSQL: one entry per table, in an order that satisfies foreign keys.
 * A table a later migration adds is one more entry here (and
 * test/cli/migrate.test.ts fails until it is: it compares this list with
 * both schemas).
 *
 * Column types say how a value is read, written and checksummed the same way
 * on both sides: `int`, `text`, `json` (TEXT in SQLite, jsonb in PostgreSQL),
 * `blob` (BLOB / bytea).
 */
export type ColumnType = 'int' | 'text' | 'json' | 'blob';

export interface TableSpec {
  table: string;
  /** `from`: the SQLite expression the column's value is read as, when not the column itself. */
  columns: [name: string, type: ColumnType, from?: string][];
  /** A unique key, for reading in keyset-paged batches and resuming after the last one copied. */
  key: string[];
  /** Identity column whose sequence must continue after the copied values. */
  identity?: string;
  /** Rows per batch (default 2,000). */
  batch?: number;
}

export const TRANSFER_TABLES: TableSpec[] = [
  {
    table: 'papers',
    columns: [
      ['pk', 'int'],
      ['id', 'text'],
      ['title', 'text'],
      ['abstract', 'text'],
      ['authors', 'text'],
      ['listing_date', 'text'],
      ['upvotes', 'int'],
      // SQLite keeps a paper's title and abstract out of `data` (sqlite/paper-rows.ts); PostgreSQL's data holds the whole paper.
      ['data', 'json', "CASE WHEN json_type(data, '$.title') IS NULL THEN json_set(data, '$.title', title, '$.abstract', abstract) ELSE data END"],
      ['title_rank', 'int'],
      ['fingerprint', 'text'],
      ['added_at', 'text'],
      ['modified_at', 'text'],
      ['seq', 'int'],
    ],
    key: ['pk'],
    identity: 'pk',
    batch: 1000,
  },
  { table: 'paper_keys', columns: [['key', 'text'], ['pk', 'int']], key: ['key', 'pk'] },
  { table: 'paper_categories', columns: [['category', 'text'], ['pk', 'int']], key: ['category', 'pk'] },
  {
    table: 'paper_authors',
    columns: [['pk', 'int'], ['position', 'int'], ['name', 'text'], ['name_key', 'text']],
    key: ['pk', 'position'],
  },
  {
    table: 'provenance',
    columns: [['pk', 'int'], ['kind', 'text'], ['locator', 'text'], ['seen_at', 'text'], ['fields', 'json']],
    key: ['pk', 'kind', 'locator'],
  },
  { table: 'removed_papers', columns: [['seq', 'int'], ['pk', 'int'], ['merged_into', 'int']], key: ['seq'] },
  // Stored whole in SQLite, in chunks in PostgreSQL: copied through the model store (see transfer.ts).
  { table: 'models', columns: [['name', 'text'], ['meta', 'json'], ['data', 'blob'], ['built_at', 'text']], key: ['name'], batch: 1 },
  { table: 'paper_vectors', columns: [['model', 'text'], ['pk', 'int'], ['vector', 'blob']], key: ['model', 'pk'] },
  {
    table: 'profiles',
    columns: [['profile_id', 'int'], ['name', 'text'], ['settings', 'json'], ['created_at', 'text'], ['updated_at', 'text'], ['owner_id', 'int']],
    key: ['profile_id'],
    identity: 'profile_id',
  },
  {
    table: 'profile_papers',
    columns: [['profile_id', 'int'], ['pk', 'int'], ['origin', 'text'], ['added_at', 'text']],
    key: ['profile_id', 'pk'],
  },
  { table: 'feedback', columns: [['profile_id', 'int'], ['pk', 'int'], ['action', 'text'], ['at', 'text']], key: ['profile_id', 'pk', 'action'] },
  {
    table: 'collections',
    columns: [['collection_id', 'int'], ['name', 'text'], ['created_at', 'text'], ['owner_id', 'int']],
    key: ['collection_id'],
    identity: 'collection_id',
  },
  { table: 'collection_papers', columns: [['collection_id', 'int'], ['pk', 'int'], ['added_at', 'text']], key: ['collection_id', 'pk'] },
  { table: 'notes', columns: [['pk', 'int'], ['text', 'text'], ['updated_at', 'text'], ['owner_id', 'int']], key: ['owner_id', 'pk'] },
  // Accounts: users before the sessions, tokens and invites that point at them.
  {
    table: 'users',
    columns: [['user_id', 'int'], ['name', 'text'], ['password_hash', 'text'], ['role', 'text'], ['created_at', 'text'], ['password_at', 'text'], ['show_in_lab', 'int']],
    key: ['user_id'],
    identity: 'user_id',
  },
  {
    table: 'sessions',
    columns: [['token_hash', 'text'], ['user_id', 'int'], ['csrf', 'text'], ['created_at', 'text'], ['expires_at', 'text']],
    key: ['token_hash'],
  },
  {
    table: 'api_tokens',
    columns: [['token_id', 'int'], ['user_id', 'int'], ['name', 'text'], ['token_hash', 'text'], ['created_at', 'text'], ['last_used_at', 'text']],
    key: ['token_id'],
    identity: 'token_id',
  },
  {
    table: 'invites',
    columns: [['token_hash', 'text'], ['role', 'text'], ['invited_by', 'int'], ['created_at', 'text'], ['expires_at', 'text']],
    key: ['token_hash'],
  },
  {
    table: 'jobs',
    columns: [
      ['id', 'int'],
      ['kind', 'text'],
      ['key', 'text'],
      ['lane', 'text'],
      ['payload', 'json'],
      ['state', 'text'],
      ['run_at', 'text'],
      ['attempts', 'int'],
      ['max_attempts', 'int'],
      ['locked_by', 'text'],
      ['lease_until', 'text'],
      ['last_error', 'text'],
      ['result', 'json'],
      ['created_at', 'text'],
      ['started_at', 'text'],
      ['finished_at', 'text'],
    ],
    key: ['id'],
    identity: 'id',
  },
  { table: 'kv_state', columns: [['key', 'text'], ['value', 'json'], ['updated_at', 'text']], key: ['key'] },
  { table: 'used_links', columns: [['token_hash', 'text'], ['used_at', 'text'], ['expires_at', 'text']], key: ['token_hash'] },
  { table: 'enrich_attempts', columns: [['pk', 'int'], ['at', 'text'], ['outcome', 'text']], key: ['pk'] },
  {
    table: 'paper_tldrs',
    columns: [['pk', 'int'], ['model', 'text'], ['text', 'text'], ['error', 'text'], ['attempts', 'int'], ['updated_at', 'text']],
    key: ['pk'],
  },
  {
    table: 'digests',
    columns: [
      ['id', 'int'],
      ['profile', 'text'],
      ['channel', 'text'],
      ['window_from', 'text'],
      ['window_to', 'text'],
      ['state', 'text'],
      ['reserved_by', 'text'],
      ['reserved_at', 'text'],
      ['sent_at', 'text'],
      ['items', 'int'],
      ['message_id', 'text'],
      ['error', 'text'],
      ['owner_id', 'int'],
    ],
    key: ['id'],
    identity: 'id',
  },
  {
    table: 'digest_unsubscribes',
    columns: [['profile', 'text'], ['channel', 'text'], ['at', 'text'], ['owner_id', 'int']],
    key: ['owner_id', 'profile', 'channel'],
  },
  {
    table: 'profile_delivery',
    columns: [['profile_id', 'int'], ['email', 'text'], ['cadence', 'text'], ['weekday', 'text'], ['webhook_url', 'text'], ['item_limit', 'int'], ['updated_at', 'text']],
    key: ['profile_id'],
  },
  {
    table: 'sources',
    columns: [
      ['source_id', 'int'],
      ['kind', 'text'],
      ['category', 'text'],
      ['backfill_days', 'int'],
      ['added_at', 'text'],
      ['last_run_at', 'text'],
      ['last_success_at', 'text'],
      ['last_error', 'text'],
      ['last_added', 'int'],
      ['backfill_job', 'text'],
      ['owner_id', 'int'],
    ],
    key: ['source_id'],
    identity: 'source_id',
  },
];

/**
 * SQLite tables that are not copied, and why: each is rebuilt or replaced on
 * the PostgreSQL side. Prefix entries end in `*`.
 */
export const NOT_TRANSFERRED: Record<string, string> = {
  schema_migrations: 'each backend records its own migrations',
  counters: "the change-feed counter becomes PostgreSQL's paper_seq sequence (set past every copied seq)",
  'papers_fts*': 'FTS5 index: PostgreSQL computes its tsvector column from the copied text',
  'papers_title_fts*': 'FTS5 title index: derived from the copied text as well',
  leases: 'process coordination (the index-refresh lease), created on first use; never data',
  'search_impacts*': "SQLite's block maxima for top-k ranking: rebuilt by the index refresh from FTS5; PostgreSQL ranks from paper_fts",
  search_postings: "SQLite's own postings of the common words: rebuilt by the index refresh from FTS5; PostgreSQL ranks from paper_fts",
  search_doclens: "column lengths beside SQLite's postings: rebuilt with them",
};

/** PostgreSQL tables (or columns) with no SQLite counterpart. */
export const POSTGRES_ONLY: Record<string, string> = {
  model_chunks: 'model blobs are stored in chunks (written through the model store)',
  transfer_runs: "radar migrate's own progress",
  'papers.fts': 'full-text vector (written by a trigger from the copied text)',
  'papers.fts_title': 'title-only full-text vector (trigger)',
  'papers.len_title': 'field length for BM25F (trigger)',
  'papers.len_abstract': 'field length for BM25F (trigger)',
  'papers.len_authors': 'field length for BM25F (trigger)',
  'models.size': 'model size, written through the model store',
  paper_fts: 'narrow copy of papers.fts for counting and preselection (trigger)',
};

export function isNotTransferred(table: string): boolean {
  return Object.keys(NOT_TRANSFERRED).some((k) => (k.endsWith('*') ? table.startsWith(k.slice(0, -1)) : table === k));
}
