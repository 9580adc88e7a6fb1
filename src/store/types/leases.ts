/** Named leases: one holder at a time across processes (e.g. index maintenance). */

export type LeaseAttempt = { acquired: true } | { acquired: false; holder: string; until: string };

export interface LeaseStore {
  /** Takes lease `name` for `holder` for `ttlMs` when it is free, expired or already `holder`'s; else says who has it, until when (ISO). */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseAttempt>;
  /** Extends `holder`'s lease; false when it is no longer theirs (it expired and another took it). */
  renewLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}
