/** Rows of the settings tables (migration 4) as records; both backends store them alike. */
import type { DeliverySettings, SourceKind, SourceRecord } from './types.ts';

export interface DeliveryRow {
  profile: string;
  email: string;
  cadence: DeliverySettings['cadence'];
  weekday: DeliverySettings['weekday'];
  webhook_url: string | null;
  item_limit: number;
  updated_at: string;
}

export function rowToDelivery(r: DeliveryRow): DeliverySettings {
  return {
    email: JSON.parse(r.email) as string[],
    cadence: r.cadence,
    weekday: r.weekday,
    ...(r.webhook_url ? { webhookUrl: r.webhook_url } : {}),
    limit: r.item_limit,
    updatedAt: r.updated_at,
  };
}

export interface SourceRow {
  source_id: number | string;
  kind: SourceKind;
  category: string;
  backfill_days: number;
  added_at: string;
  last_run_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  last_added: number | null;
  backfill_job: string | null;
}

export function rowToSource(r: SourceRow): SourceRecord {
  return {
    id: Number(r.source_id),
    kind: r.kind,
    category: r.category,
    backfillDays: r.backfill_days,
    addedAt: r.added_at,
    ...(r.last_run_at ? { lastRunAt: r.last_run_at } : {}),
    ...(r.last_success_at ? { lastSuccessAt: r.last_success_at } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.last_added !== null ? { lastAdded: r.last_added } : {}),
    ...(r.backfill_job ? { backfillJob: r.backfill_job } : {}),
  };
}

