import { createHash } from 'node:crypto';
import type { PaperRecord } from './types.ts';

/** Text longer than this is recorded by length and hash rather than copied into provenance. */
const INLINE_TEXT = 200;

function summarise(value: unknown): unknown {
  if (typeof value === 'string' && value.length > INLINE_TEXT) {
    return { chars: value.length, sha1: createHash('sha1').update(value).digest('hex').slice(0, 12) };
  }
  if (Array.isArray(value) && value.length > 50) return { items: value.length, first: value.slice(0, 5) };
  return value;
}

/**
 * What a record said, for the provenance log: every field it carried, with long
 * text summarised so the log stays a fraction of the papers' size.
 */
export function provenanceFields(rec: PaperRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k === 'source' || v === undefined) continue;
    out[k] = summarise(v);
  }
  return out;
}
