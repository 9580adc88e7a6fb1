/**
 * Settings people change from the app and that live in the database, not in
 * the configuration file: a profile's delivery (e-mail, cadence, webhook) and
 * the sources the app follows (arXiv categories, Hugging Face Daily Papers)
 * with each one's last fetch. The configuration file can still override both
 * (src/app/delivery.ts, src/jobs/sources.ts decide how).
 */

export type Cadence = 'daily' | 'weekly' | 'off';

export interface DeliverySettings {
  /** Where the digest is mailed; empty: no e-mail. */
  email: string[];
  cadence: Cadence;
  /** Weekly digests go out on this day (sun … sat). */
  weekday: 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
  /** POSTed the digest as JSON; absent: no webhook. */
  webhookUrl?: string;
  /** Papers per digest. */
  limit: number;
  updatedAt?: string;
}

export type SourceKind = 'arxiv' | 'hf';

export interface SourceRecord {
  id: number;
  kind: SourceKind;
  /** The arXiv category (`cs.LG`); empty for Hugging Face Daily Papers. */
  category: string;
  /** Days fetched back when it was added. */
  backfillDays: number;
  addedAt: string;
  /** The last fetch that touched it (finished, either way). */
  lastRunAt?: string;
  lastSuccessAt?: string;
  /** The last failure, in words; cleared by the next success. */
  lastError?: string;
  /** Papers added or updated by the last successful fetch. */
  lastAdded?: number;
  /** The key of the back-fill job enqueued when it was added. */
  backfillJob?: string;
}

export interface SettingsStore {
  getDelivery(profile: string): Promise<DeliverySettings | undefined>;
  /** Stores a profile's delivery settings; false when there is no such profile. */
  putDelivery(profile: string, settings: DeliverySettings, now: string): Promise<boolean>;
  /** Every profile with stored delivery settings, by name. */
  listDeliveries(): Promise<(DeliverySettings & { profile: string })[]>;

  /** Adds a source; an existing one (same kind and category) is returned unchanged with `created: false`. */
  addSource(s: { kind: SourceKind; category: string; backfillDays: number }, now: string): Promise<{ source: SourceRecord; created: boolean }>;
  /** This account's sources. */
  listSources(): Promise<SourceRecord[]>;
  /** Every account's sources (the fetch schedule serves them all; two accounts may follow the same one). */
  listAllSources(): Promise<SourceRecord[]>;
  removeSource(kind: SourceKind, category: string): Promise<boolean>;
  /** Records the outcome of a fetch that covered these sources. */
  recordSourceRun(ids: number[], outcome: { at: string; error?: string; added?: number }): Promise<void>;
  setSourceBackfillJob(id: number, key: string): Promise<void>;
}
