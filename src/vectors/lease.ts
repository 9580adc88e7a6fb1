/**
 * One index refresh at a time per database. Index maintenance is started from
 * several places (the after-import hook, server start, the worker's job, the
 * CLI feed) in any number of processes; two at once would both count the same
 * papers into the document-frequency table and build generations over each
 * other. The store's lease (Store.acquireLease) is held for the whole
 * refresh and renewed while it runs; a process that dies mid-refresh loses it
 * when it expires.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/types.ts';

export const INDEX_LEASE = 'refresh-indexes';

export interface LeaseOptions {
  /** When another process holds the lease: wait for it (default) or return at once. */
  onBusy?: 'wait' | 'skip';
  /** Lease length, renewed every third of it while held (default 5 min: a long synchronous step must not outlast it). */
  ttlMs?: number;
  /** Give up waiting after this long (default: no limit; an abandoned lease expires after ttlMs anyway). */
  maxWaitMs?: number;
  say?: (line: string) => void;
}

export class LeaseLostError extends Error {}

export interface HeldLease {
  readonly holder: string;
  /** Renews now and throws LeaseLostError when another process has taken the lease (expired meanwhile). */
  check(): Promise<void>;
}

export type LeaseOutcome<T> = { ran: true; value: T } | { ran: false; holder: string; until: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function withLease<T>(store: Store, name: string, opts: LeaseOptions, fn: (lease: HeldLease) => Promise<T>): Promise<LeaseOutcome<T>> {
  const ttl = opts.ttlMs ?? 5 * 60_000;
  const holder = newHolderId();
  const started = Date.now();
  let told = false;
  for (;;) {
    const got = await store.leases.acquireLease(name, holder, ttl);
    if (got.acquired) break;
    const waited = Date.now() - started;
    if (opts.onBusy === 'skip' || waited >= (opts.maxWaitMs ?? Infinity)) return { ran: false, holder: got.holder, until: got.until };
    if (!told) opts.say?.(`waiting for the index refresh ${got.holder} is running (its lease runs to ${got.until})`);
    told = true;
    await sleep(Math.min(1000, Math.max(20, ttl / 4)));
  }
  let lost = false;
  const renew = async () => {
    if (!lost && !(await store.leases.renewLease(name, holder, ttl))) lost = true;
  };
  const timer = setInterval(() => void renew().catch(() => {}), Math.max(10, ttl / 3));
  timer.unref();
  const lease: HeldLease = {
    holder,
    async check() {
      await renew();
      if (lost) throw new LeaseLostError(`lost the ${name} lease (expired while this refresh ran; another process took over): stopping before writing`);
    },
  };
  try {
    return { ran: true, value: await fn(lease) };
  } finally {
    clearInterval(timer);
    if (!lost) await store.leases.releaseLease(name, holder).catch(() => {});
  }
}
