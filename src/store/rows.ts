/**
 * Database rows to records, shared by both backends: the tables have the same
 * columns in SQLite and PostgreSQL. JSON columns differ (SQLite returns text,
 * PostgreSQL's jsonb arrives parsed), so the job converter takes the decoder.
 */
import type { Collection, DigestChannel, DigestRecord, DigestState, Job, JobState, Note, Tldr } from './types.ts';

export interface JobRow<J> {
  id: number;
  kind: string;
  key: string;
  lane: string | null;
  payload: J;
  state: JobState;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  lease_until: string | null;
  last_error: string | null;
  result: J | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** `json` turns a stored JSON column into its value. */
export function rowToJob<J>(r: JobRow<J>, json: (v: J) => unknown): Job {
  return {
    id: r.id,
    kind: r.kind,
    key: r.key,
    lane: r.lane ?? undefined,
    payload: json(r.payload) as Record<string, unknown>,
    state: r.state,
    runAt: r.run_at,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    lockedBy: r.locked_by ?? undefined,
    leaseUntil: r.lease_until ?? undefined,
    lastError: r.last_error ?? undefined,
    result: r.result == null ? undefined : json(r.result),
    createdAt: r.created_at,
    startedAt: r.started_at ?? undefined,
    finishedAt: r.finished_at ?? undefined,
  };
}

export interface DigestRow {
  id: number;
  profile: string;
  channel: DigestChannel;
  window_from: string;
  window_to: string;
  state: DigestState;
  reserved_by: string;
  reserved_at: string;
  sent_at: string | null;
  items: number | null;
  message_id: string | null;
  error: string | null;
}

export function rowToDigest(r: DigestRow): DigestRecord {
  return {
    id: r.id,
    profile: r.profile,
    channel: r.channel,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    state: r.state,
    reservedBy: r.reserved_by,
    reservedAt: r.reserved_at,
    sentAt: r.sent_at ?? undefined,
    items: r.items ?? undefined,
    messageId: r.message_id ?? undefined,
    error: r.error ?? undefined,
  };
}

export interface NoteRow {
  pk: number;
  text: string;
  updated_at: string;
}

export const rowToNote = (r: NoteRow): Note => ({ pk: r.pk, text: r.text, updatedAt: r.updated_at });

export interface CollectionRow {
  collection_id: number;
  name: string;
  created_at: string;
  papers: number;
}

export const rowToCollection = (r: CollectionRow): Collection => ({ collectionId: r.collection_id, name: r.name, createdAt: r.created_at, papers: r.papers });

/** Collections with their paper counts (CollectionRow); callers add WHERE and ORDER BY. */
export const SELECT_COLLECTIONS = `SELECT c.collection_id, c.name, c.created_at,
  (SELECT count(*) FROM collection_papers cp WHERE cp.collection_id = c.collection_id) AS papers
  FROM collections c`;

export interface CollectionPaperRow {
  pk: number;
  added_at: string;
}

export const rowToCollectionPaper = (r: CollectionPaperRow): { pk: number; addedAt: string } => ({ pk: r.pk, addedAt: r.added_at });

export interface TldrRow {
  pk: number;
  model: string;
  text: string | null;
  error: string | null;
  attempts: number;
  updated_at: string;
}

export const rowToTldr = (r: TldrRow): Tldr => ({
  model: r.model,
  ...(r.text !== null ? { text: r.text } : {}),
  ...(r.error !== null ? { error: r.error } : {}),
  attempts: r.attempts,
  updatedAt: r.updated_at,
});
