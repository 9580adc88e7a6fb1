/**
 * Connection pool and the few helpers every PostgreSQL store module uses:
 * transactions, advisory-lock keys, and making JavaScript values storable.
 */
import pg from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';

export type Db = Pool | PoolClient;

/**
 * Row types: `bigint` (counts, seq) arrive as numbers, not strings. Every
 * value the store keeps in a bigint stays far below 2^53.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PoolOptions {
  /** Connections per process (default 10). */
  max?: number;
}

export function createPool(url: string, opts: PoolOptions = {}): Pool {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types: types as pg.CustomTypesConfig });
  // An idle connection that dies (server restart, network) is dropped from the
  // pool and the next query opens a new one; without a listener the error
  // would crash the process.
  pool.on('error', () => {});
  return pool;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * Runs `fn` in one transaction on one connection. Serialization failures and
 * deadlocks (another process won a race) are retried a few times.
 */
export async function tx<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (e) {
        broken = e as Error; // the connection is unusable: do not return it to the pool
      }
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < 5) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

export async function rows<R extends QueryResultRow>(db: Db, sql: string, params: unknown[] = []): Promise<R[]> {
  return (await db.query<R>(sql, params)).rows;
}

export async function one<R extends QueryResultRow>(db: Db, sql: string, params: unknown[] = []): Promise<R | undefined> {
  return (await db.query<R>(sql, params)).rows[0];
}

/**
 * Advisory-lock keys (the two-int form: namespace, object). Advisory locks are
 * per database, so stores in different databases never wait on each other.
 */
export const LOCK_NAMESPACE = 0x52414452; // 'RADR'
export const LOCKS = {
  /** Held (exclusive) by every paper upsert: keeps merges and the change feed's seq order serial. */
  papers: 1,
  /** Held while applying schema migrations. */
  migrations: 2,
  /** Held while creating the leases table on first use (postgres/lease.ts). */
  leaseTable: 3,
} as const;
/** Lanes of the job queue lock under their own namespace, keyed by hashtext(lane). */
export const LANE_NAMESPACE = 0x52414453;

/**
 * PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate would be
 * stored as U+FFFD: either would make the stored paper differ from the one the
 * merge planned (and a re-import look like a change). Strings are cleaned
 * before planning so both sides agree.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const c = storable(v);
      if (c !== v) (out ??= [...value])[i] = c;
    });
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const c = storable(v);
      if (c !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = c;
    }
    return (out ?? value) as T;
  }
  return value;
}

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function cleanString(s: string): string {
  let out = s.includes('\u0000') ? s.replace(NUL, '') : s;
  if (LONE_SURROGATE.test(out)) out = out.replace(LONE_SURROGATE, '\uFFFD');
  LONE_SURROGATE.lastIndex = 0;
  return out;
}
