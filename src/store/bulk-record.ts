/**
 * The record a bulk load keeps while the derived structures are behind the
 * papers (both backends store it as JSON in `kv_state`), and what is read
 * from it: whether the loading process still runs, the state callers see, and
 * the `radar doctor` check built on that state.
 */
import { hostname } from 'node:os';
import type { BulkLoadState, DatabaseCheck } from './types.ts';

/** A trigger or index the load set aside, with the SQL that restores it. */
export interface SchemaObject {
  type: 'trigger' | 'index';
  name: string;
  sql: string;
}

export interface BulkRecord {
  startedAt: string;
  objects: SchemaObject[];
  /** Phases of `finish` already committed, so a finish cut short resumes after them. */
  done?: string[];
  /** The process loading, so another can tell a running load from an abandoned one. */
  owner: BulkOwner;
}

export interface BulkOwner {
  pid: number;
  host: string;
}

export function thisProcess(): BulkOwner {
  return { pid: process.pid, host: hostname() };
}

/** Whether the owner still runs: on this machine, its pid answers; on another, it is assumed to. */
function ownerAlive(owner: BulkOwner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeBulk(s: BulkRecord): BulkLoadState {
  const running = s.owner.pid !== process.pid && ownerAlive(s.owner);
  return { startedAt: s.startedAt, deferred: s.objects.map((o) => `${o.type} ${o.name}`), ...(running ? { runningIn: `pid ${s.owner.pid} on ${s.owner.host}` } : {}) };
}

/** The doctor's line for a pending bulk load: fine while its process runs, a problem once it is abandoned. */
export function bulkCheck(pending: BulkLoadState): DatabaseCheck {
  return {
    name: 'bulk load',
    ok: !!pending.runningIn,
    detail:
      `a bulk import begun ${pending.startedAt} ${pending.runningIn ? `is running in ${pending.runningIn} (left to it)` : 'did not finish'}: ` +
      `${pending.deferred.join(', ')} set aside, full-text search misses papers written since`,
  };
}
