import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Migration 3's facet-token expression (format: search/facets.ts) for
 * the row `row` (\`papers\` in the view, \`new\`/\`old\` in triggers), and the
 * trigger bodies that add a row to both full-text indexes or remove it.
 *
 * These generate the text of a shipped migration: what they return must stay
 * byte for byte what databases recorded as applied (test/store/migrations.test.ts
 * pins each migration's SHA-256). A changed expression is a new migration.
 */
function facetsSql(row: string): string {
  const date = `${row}.listing_date`;
  const categories = `json_extract(${row}.data, '$.categories')`;
  return (
    `(CASE WHEN ${date} IS NULL THEN '' ELSE 'zy' || substr(${date}, 1, 4) || ' zm' || substr(${date}, 1, 4) || substr(${date}, 6, 2) END\n` +
    `    || COALESCE(' zc' || NULLIF(replace(replace(replace(replace(replace(replace(lower(${categories}), '[', ''), ']', ''), '","', '9 zc'), '"', ''), '.', '0'), '-', '1'), '') || '9', ''))`
  );
}

function indexRow(r: string): string {
  return (
    `  INSERT INTO papers_fts(rowid, title, abstract, authors, facets) VALUES (${r}.pk, ${r}.title, ${r}.abstract, ${r}.authors, ${facetsSql(r)});\n` +
    `  INSERT INTO papers_title_fts(rowid, title, facets) VALUES (${r}.pk, ${r}.title, ${facetsSql(r)});`
  );
}

function unindexRow(r: string): string {
  return (
    `  INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors, facets) VALUES ('delete', ${r}.pk, ${r}.title, ${r}.abstract, ${r}.authors, ${facetsSql(r)});\n` +
    `  INSERT INTO papers_title_fts(papers_title_fts, rowid, title, facets) VALUES ('delete', ${r}.pk, ${r}.title, ${facetsSql(r)});`
  );
}

/**
 * Versioned schema. Never edit a migration that has shipped: add a new one.
 *
 * Papers keep their full merged record as JSON in `data` (what `show` prints)
 * and copy out only the columns that queries filter or sort on.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'papers, keys, provenance, full text, vectors, profiles',
    sql: `
CREATE TABLE papers (
  pk            INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  title         TEXT NOT NULL DEFAULT '',
  abstract      TEXT NOT NULL DEFAULT '',
  authors       TEXT NOT NULL DEFAULT '',
  listing_date  TEXT,
  upvotes       INTEGER,
  data          TEXT NOT NULL,
  title_rank    INTEGER NOT NULL,
  fingerprint   TEXT NOT NULL,
  added_at      TEXT NOT NULL,
  modified_at   TEXT NOT NULL,
  seq           INTEGER NOT NULL
);
CREATE INDEX papers_listing_date ON papers(listing_date);
CREATE INDEX papers_upvotes ON papers(upvotes) WHERE upvotes IS NOT NULL;
CREATE INDEX papers_seq ON papers(seq);

-- Every key a paper can be found under: arxiv:, doi:, title:, abstract: and ids it had before a merge.
CREATE TABLE paper_keys (
  key TEXT NOT NULL,
  pk  INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  PRIMARY KEY (key, pk)
) WITHOUT ROWID;
CREATE INDEX paper_keys_pk ON paper_keys(pk);

CREATE TABLE paper_categories (
  category TEXT NOT NULL,
  pk       INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  PRIMARY KEY (category, pk)
) WITHOUT ROWID;
CREATE INDEX paper_categories_pk ON paper_categories(pk);

CREATE TABLE paper_authors (
  pk       INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name     TEXT NOT NULL,
  name_key TEXT NOT NULL,
  PRIMARY KEY (pk, position)
) WITHOUT ROWID;
CREATE INDEX paper_authors_name_key ON paper_authors(name_key);

CREATE TABLE provenance (
  pk       INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  kind     TEXT NOT NULL,
  locator  TEXT NOT NULL,
  seen_at  TEXT NOT NULL,
  fields   TEXT NOT NULL,
  PRIMARY KEY (pk, kind, locator)
) WITHOUT ROWID;

-- pks that stopped existing (merged into another paper), for incremental index maintenance.
CREATE TABLE removed_papers (
  seq         INTEGER PRIMARY KEY,
  pk          INTEGER NOT NULL,
  merged_into INTEGER
);

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters(name, value) VALUES ('seq', 0);

CREATE VIRTUAL TABLE papers_fts USING fts5(
  title, abstract, authors,
  content='papers', content_rowid='pk',
  tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
  INSERT INTO papers_fts(rowid, title, abstract, authors) VALUES (new.pk, new.title, new.abstract, new.authors);
END;
CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
  INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors) VALUES ('delete', old.pk, old.title, old.abstract, old.authors);
END;
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors ON papers BEGIN
  INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors) VALUES ('delete', old.pk, old.title, old.abstract, old.authors);
  INSERT INTO papers_fts(rowid, title, abstract, authors) VALUES (new.pk, new.title, new.abstract, new.authors);
END;

CREATE TABLE models (
  name     TEXT PRIMARY KEY,
  meta     TEXT NOT NULL,
  data     BLOB NOT NULL,
  built_at TEXT NOT NULL
);

CREATE TABLE paper_vectors (
  model  TEXT NOT NULL,
  pk     INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, pk)
);
CREATE INDEX paper_vectors_pk ON paper_vectors(pk);

CREATE TABLE profiles (
  profile_id INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  settings   TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The profile's own papers (its positives).
CREATE TABLE profile_papers (
  profile_id INTEGER NOT NULL REFERENCES profiles(profile_id) ON DELETE CASCADE,
  pk         INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  origin     TEXT NOT NULL,
  added_at   TEXT NOT NULL,
  PRIMARY KEY (profile_id, pk)
) WITHOUT ROWID;

CREATE TABLE feedback (
  profile_id INTEGER NOT NULL REFERENCES profiles(profile_id) ON DELETE CASCADE,
  pk         INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  action     TEXT NOT NULL CHECK (action IN ('like', 'save', 'dismiss', 'seen')),
  at         TEXT NOT NULL,
  PRIMARY KEY (profile_id, pk, action)
) WITHOUT ROWID;
CREATE INDEX feedback_pk ON feedback(pk);

CREATE TABLE collections (
  collection_id INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  created_at    TEXT NOT NULL
);
CREATE TABLE collection_papers (
  collection_id INTEGER NOT NULL REFERENCES collections(collection_id) ON DELETE CASCADE,
  pk            INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  added_at      TEXT NOT NULL,
  PRIMARY KEY (collection_id, pk)
) WITHOUT ROWID;

CREATE TABLE notes (
  pk         INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
  text       TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'job queue, small state, enrichment attempts, sent digests, unsubscribes',
    sql: `
-- Durable jobs: claimed by one worker at a time under a lease (see sqlite/jobs.ts).
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  key          TEXT NOT NULL UNIQUE,
  lane         TEXT,
  payload      TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  run_at       TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  locked_by    TEXT,
  lease_until  TEXT,
  last_error   TEXT,
  result       TEXT,
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT
);
CREATE INDEX jobs_due ON jobs(state, run_at);
CREATE INDEX jobs_lane ON jobs(lane, state) WHERE lane IS NOT NULL;

-- Small JSON state: harvest progress (token, cursor, window), scheduler slots, shared secrets.
CREATE TABLE kv_state (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- When enrichment last tried to complete a paper, so an unmatched paper is not searched on every run.
CREATE TABLE enrich_attempts (
  pk      INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
  at      TEXT NOT NULL,
  outcome TEXT NOT NULL
);
CREATE INDEX papers_incomplete ON papers(pk) WHERE title = '' OR json_extract(data, '$.abstractTruncated') = 1;

-- One row per digest delivered (or being delivered) for a profile, window and channel.
CREATE TABLE digests (
  id          INTEGER PRIMARY KEY,
  profile     TEXT NOT NULL,
  channel     TEXT NOT NULL,
  window_from TEXT NOT NULL,
  window_to   TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'unknown')),
  reserved_by TEXT NOT NULL,
  reserved_at TEXT NOT NULL,
  sent_at     TEXT,
  items       INTEGER,
  message_id  TEXT,
  error       TEXT,
  UNIQUE (profile, channel, window_from, window_to)
);

CREATE TABLE digest_unsubscribes (
  profile TEXT NOT NULL,
  channel TEXT NOT NULL,
  at      TEXT NOT NULL,
  PRIMARY KEY (profile, channel)
) WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: 'search: facet tokens (year, month, categories) in the full-text index, and a title-only index',
    // Filters become index terms that FTS5 intersects with the text (see
    // src/store/search/facets.ts for the token format); the title-only
    // index gives bounded rankings of broad queries their best title matches.
    // Both are external-content tables over the view, kept in step by triggers.
    sql: `
DROP TRIGGER papers_fts_insert;
DROP TRIGGER papers_fts_delete;
DROP TRIGGER papers_fts_update;
DROP TABLE papers_fts;
CREATE VIEW papers_search AS SELECT pk, title, abstract, authors,
  ${facetsSql('papers')} AS facets
FROM papers;
CREATE VIRTUAL TABLE papers_fts USING fts5(
  title, abstract, authors, facets,
  content='papers_search', content_rowid='pk',
  tokenize='porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE papers_title_fts USING fts5(
  title, facets,
  content='papers_search', content_rowid='pk',
  tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
${indexRow('new')}
END;
CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
${unindexRow('old')}
END;
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors, listing_date, data ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors
  OR old.listing_date IS NOT new.listing_date OR json_extract(old.data, '$.categories') IS NOT json_extract(new.data, '$.categories')
BEGIN
${unindexRow('old')}
${indexRow('new')}
END;
INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
INSERT INTO papers_title_fts(papers_title_fts) VALUES ('rebuild');
`,
  },
  {
    version: 4,
    name: 'delivery settings per profile and followed sources, kept in the database so the app can change them',
    // Keyed by profile name like the digests table; a deleted profile takes its delivery with it.
    sql: `
CREATE TABLE profile_delivery (
  profile     TEXT PRIMARY KEY REFERENCES profiles(name) ON DELETE CASCADE,
  email       TEXT NOT NULL DEFAULT '[]',
  cadence     TEXT NOT NULL DEFAULT 'off' CHECK (cadence IN ('daily', 'weekly', 'off')),
  weekday     TEXT NOT NULL DEFAULT 'mon',
  webhook_url TEXT,
  item_limit  INTEGER NOT NULL DEFAULT 10,
  updated_at  TEXT NOT NULL
);

CREATE TABLE sources (
  source_id       INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('arxiv', 'hf')),
  category        TEXT NOT NULL DEFAULT '',
  backfill_days   INTEGER NOT NULL,
  added_at        TEXT NOT NULL,
  last_run_at     TEXT,
  last_success_at TEXT,
  last_error      TEXT,
  last_added      INTEGER,
  backfill_job    TEXT,
  UNIQUE (kind, category)
);
`,
  },
  {
    version: 5,
    name: 'one-click links act once: the links already used',
    // A signed digest link stays valid until it expires; its hash is kept until
    // then so a replay (after an undo, or by whoever saw the mail) does nothing.
    sql: `
CREATE TABLE used_links (
  token_hash TEXT PRIMARY KEY,
  used_at    TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX used_links_expiry ON used_links (expires_at);
`,
  },
  {
    version: 6,
    name: 'machine-generated TL;DRs of papers',
    // Not moved on a merge: a TL;DR describes one text; the survivor gets its own.
    sql: `
CREATE TABLE paper_tldrs (
  pk         INTEGER PRIMARY KEY REFERENCES papers(pk) ON DELETE CASCADE,
  model      TEXT NOT NULL,
  text       TEXT,
  error      TEXT,
  attempts   INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 7,
    name: 'search: block maxima of the common words\' impacts, for top-k ranking that skips most matches',
    // Filled by `radar index` (src/store/sqlite/search-impacts.ts); without them
    // search works as before. Papers whose text changes afterwards are logged so
    // the ranking scores them exactly instead of trusting their old maxima.
    sql: `
CREATE TABLE search_impacts (
  term  TEXT PRIMARY KEY,
  df    INTEGER NOT NULL,
  maxes BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE search_impacts_stale (
  id INTEGER PRIMARY KEY,
  pk INTEGER NOT NULL
);
CREATE TRIGGER search_impacts_stale_update AFTER UPDATE OF title, abstract, authors ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors
BEGIN
  INSERT INTO search_impacts_stale(pk) VALUES (new.pk);
END;
`,
  },
  {
    version: 8,
    name: 'accounts: users, sessions, API tokens, invites; profiles, collections, notes and sources get an owner; delivery keyed by profile id',
    // owner_id 0 is the data made before any account existed: the first admin adopts it (accounts.ts).
    // Profiles and collections lose their global UNIQUE (name) for UNIQUE (owner_id, name), and a note
    // is one per owner and paper: SQLite changes a constraint only by rebuilding the table, which
    // migrate() does with foreign keys off so the drop does not cascade into profile_papers and feedback.
    // Delivery settings (migration 4) pointed at a profile by its name, no longer unique: they are rekeyed
    // by profile id. Followed sources get an owner too (each account follows its own; the fetches serve all).
    sql: `
CREATE TABLE users (
  user_id       INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  created_at    TEXT NOT NULL,
  password_at   TEXT NOT NULL,
  show_in_lab   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  token_id     INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  last_used_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE TABLE invites (
  token_hash TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  invited_by INTEGER REFERENCES users(user_id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE profiles_owned (
  profile_id INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  settings   TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  owner_id   INTEGER NOT NULL DEFAULT 0,
  UNIQUE (owner_id, name)
);
INSERT INTO profiles_owned (profile_id, name, settings, created_at, updated_at, owner_id)
  SELECT profile_id, name, settings, created_at, updated_at, 0 FROM profiles;
DROP TABLE profiles;
ALTER TABLE profiles_owned RENAME TO profiles;

CREATE TABLE collections_owned (
  collection_id INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  owner_id      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (owner_id, name)
);
INSERT INTO collections_owned (collection_id, name, created_at, owner_id) SELECT collection_id, name, created_at, 0 FROM collections;
DROP TABLE collections;
ALTER TABLE collections_owned RENAME TO collections;

CREATE TABLE notes_owned (
  pk         INTEGER NOT NULL REFERENCES papers(pk) ON DELETE CASCADE,
  text       TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  owner_id   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (owner_id, pk)
);
INSERT INTO notes_owned (pk, text, updated_at, owner_id) SELECT pk, text, updated_at, 0 FROM notes;
DROP TABLE notes;
ALTER TABLE notes_owned RENAME TO notes;
CREATE INDEX notes_pk ON notes(pk);

CREATE TABLE profile_delivery_owned (
  profile_id  INTEGER PRIMARY KEY REFERENCES profiles(profile_id) ON DELETE CASCADE,
  email       TEXT NOT NULL DEFAULT '[]',
  cadence     TEXT NOT NULL DEFAULT 'off' CHECK (cadence IN ('daily', 'weekly', 'off')),
  weekday     TEXT NOT NULL DEFAULT 'mon',
  webhook_url TEXT,
  item_limit  INTEGER NOT NULL DEFAULT 10,
  updated_at  TEXT NOT NULL
);
INSERT INTO profile_delivery_owned (profile_id, email, cadence, weekday, webhook_url, item_limit, updated_at)
  SELECT p.profile_id, d.email, d.cadence, d.weekday, d.webhook_url, d.item_limit, d.updated_at
  FROM profile_delivery d JOIN profiles p ON p.name = d.profile;
DROP TABLE profile_delivery;
ALTER TABLE profile_delivery_owned RENAME TO profile_delivery;

CREATE TABLE sources_owned (
  source_id       INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('arxiv', 'hf')),
  category        TEXT NOT NULL DEFAULT '',
  backfill_days   INTEGER NOT NULL,
  added_at        TEXT NOT NULL,
  last_run_at     TEXT,
  last_success_at TEXT,
  last_error      TEXT,
  last_added      INTEGER,
  backfill_job    TEXT,
  owner_id        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (owner_id, kind, category)
);
INSERT INTO sources_owned (source_id, kind, category, backfill_days, added_at, last_run_at, last_success_at, last_error, last_added, backfill_job, owner_id)
  SELECT source_id, kind, category, backfill_days, added_at, last_run_at, last_success_at, last_error, last_added, backfill_job, 0 FROM sources;
DROP TABLE sources;
ALTER TABLE sources_owned RENAME TO sources;
`,
  },
  {
    version: 9,
    name: 'sent digests and unsubscribes get an owner: two accounts may have profiles of the same name',
    // Both tables named a profile by its name alone, no longer unique since migration 8. They keep the name (a
    // digest's history outlives a deleted profile) and gain owner_id with the convention of migration 8. Until
    // now only the local admin's digests were sent, so existing rows are the first admin's, or owner 0's
    // (adopted with the rest) when no admin exists yet. A constraint changes only by rebuilding the table.
    sql: `
CREATE TABLE digests_owned (
  id          INTEGER PRIMARY KEY,
  profile     TEXT NOT NULL,
  channel     TEXT NOT NULL,
  window_from TEXT NOT NULL,
  window_to   TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'unknown')),
  reserved_by TEXT NOT NULL,
  reserved_at TEXT NOT NULL,
  sent_at     TEXT,
  items       INTEGER,
  message_id  TEXT,
  error       TEXT,
  owner_id    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (owner_id, profile, channel, window_from, window_to)
);
INSERT INTO digests_owned (id, profile, channel, window_from, window_to, state, reserved_by, reserved_at, sent_at, items, message_id, error, owner_id)
  SELECT id, profile, channel, window_from, window_to, state, reserved_by, reserved_at, sent_at, items, message_id, error,
    (SELECT COALESCE(min(user_id), 0) FROM users WHERE role = 'admin') FROM digests;
DROP TABLE digests;
ALTER TABLE digests_owned RENAME TO digests;

CREATE TABLE digest_unsubscribes_owned (
  profile  TEXT NOT NULL,
  channel  TEXT NOT NULL,
  at       TEXT NOT NULL,
  owner_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (owner_id, profile, channel)
) WITHOUT ROWID;
INSERT INTO digest_unsubscribes_owned (profile, channel, at, owner_id)
  SELECT profile, channel, at, (SELECT COALESCE(min(user_id), 0) FROM users WHERE role = 'admin') FROM digest_unsubscribes;
DROP TABLE digest_unsubscribes;
ALTER TABLE digest_unsubscribes_owned RENAME TO digest_unsubscribes;
`,
  },
  {
    version: 10,
    name: 'search: the common words\' postings and the papers\' column lengths outside FTS5, for exact top-k ranking without FTS5\'s per-row cost',
    // Filled by `radar index` (src/store/sqlite/search-postings.ts); without them
    // search works as before. A deleted paper is logged as stale like a rewritten
    // one, so the ranking never trusts postings of a paper that is gone (or of a
    // new paper that reused its pk).
    sql: `
CREATE TABLE search_postings (
  term TEXT PRIMARY KEY,
  df   INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE search_doclens (
  chunk INTEGER PRIMARY KEY,
  data  BLOB NOT NULL
);
CREATE TRIGGER search_impacts_stale_delete AFTER DELETE ON papers
BEGIN
  INSERT INTO search_impacts_stale(pk) VALUES (old.pk);
END;
`,
  },
];

/**
 * Tables whose rows point at a paper (column `pk`) and must follow it when it
 * is merged into another. A table added by a later migration that references
 * papers belongs here too.
 */
export const PAPER_REFERENCES = ['provenance', 'profile_papers', 'feedback', 'collection_papers', 'notes', 'enrich_attempts'] as const;

/** Where applied migrations are recorded. */
export const MIGRATIONS_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)';

/** Versions recorded as applied; none for a new (empty) database. */
function appliedVersions(db: Database.Database): Set<number> {
  const tracked = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!tracked) return new Set();
  return new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
}

export interface SchemaState {
  /** Migrations this build has that the database lacks. */
  pending: Migration[];
  /** Versions the database has that this build does not know (written by a newer Paper Radar). */
  unknown: number[];
}

/** How the database's schema compares with this build's, read without changing anything. */
export function schemaState(db: Database.Database): SchemaState {
  const applied = appliedVersions(db);
  const known = new Set(MIGRATIONS.map((m) => m.version));
  return {
    pending: MIGRATIONS.filter((m) => !applied.has(m.version)),
    unknown: [...applied].filter((v) => !known.has(v)).sort((a, b) => a - b),
  };
}

/**
 * Applies the missing migrations. Several processes may open a new database
 * at once, so which migrations are missing is decided only under the write
 * lock (BEGIN IMMEDIATE): the first process applies them all in one
 * transaction and the others, once they get the lock, find nothing left to
 * do. An up-to-date database, every open after the first, is checked with a
 * plain read and never waits for the write lock (an import may hold it).
 */
export function migrate(db: Database.Database): void {
  if (schemaState(db).pending.length === 0) return;
  // A migration that rebuilds a table (SQLite's only way to change a constraint) drops the old one;
  // with foreign keys on, that drop would delete the rows that point at it. They are switched off
  // for the transaction (the pragma is ignored inside one) and every reference is checked before commit.
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      db.exec(MIGRATIONS_TABLE_SQL);
      for (const m of schemaState(db).pending) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length) throw new Error(`migration left ${broken.length} broken references (${broken[0].table} → ${broken[0].parent})`);
    }).immediate();
  } finally {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
}
