/**
 * `radar migrate --from radar.db --to postgres://…`: moves an embedded
 * database into PostgreSQL without loss and proves it (counts and checksums of
 * every table, printed from both sides). Safe to re-run: an interrupted run
 * resumes, a finished one is only verified, any other non-empty target is
 * refused.
 *
 * The source is opened read-only and copied from one snapshot
 * (postgres/transfer.ts), so migrating never changes it and can run beside a
 * live server. A source whose schema is older than this build's cannot be
 * read as is; it is refused unless --upgrade-source says to apply the missing
 * migrations to it first (the one write, and only when asked: the file may be
 * someone's backup, or still used by an older installation).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { isPostgresUrl } from '../../store/open.ts';
import type { PostgresStore } from '../../store/postgres/store.ts';
import type { TableCheck, TransferProgress } from '../../store/postgres/transfer.ts';
import { SqliteStore, StoreOpenError } from '../../store/sqlite/store.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';

const fmt = (n: number) => n.toLocaleString('en');

function reporter(c: CliContext): { update(p: TransferProgress): void; stop(): void } {
  if (!c.json && process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: '{table} |{bar}| {value}/{total} rows', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let current = '';
    return {
      update(p) {
        if (p.table !== current) {
          if (current) bar.stop();
          current = p.table;
          bar.start(Math.max(p.total, 1), p.copied, { table: p.table.padEnd(20) });
        } else bar.update(p.copied);
      },
      stop: () => current && bar.stop(),
    };
  }
  // Without a terminal: a line when a table is done, and every 5 s during a long one.
  let last = Date.now();
  return {
    update(p) {
      const now = Date.now();
      const done = p.copied >= p.total;
      if (p.total === 0 || (p.copied === 0 && !done) || (!done && now - last < 5_000)) return;
      last = now;
      c.say(`  ${p.table}: ${fmt(p.copied)} of ${fmt(p.total)} rows${done ? '' : '…'}`);
    },
    stop() {},
  };
}

function printChecks(c: CliContext, checks: TableCheck[]): void {
  c.say(`  ${'table'.padEnd(20)} ${'rows: sqlite'.padStart(12)} ${'postgres'.padStart(12)}  checksum: sqlite / postgres`);
  for (const k of checks) {
    const mark = k.ok ? 'ok' : 'MISMATCH';
    c.say(
      `  ${k.table.padEnd(20)} ${fmt(k.source.rows).padStart(12)} ${fmt(k.target.rows).padStart(12)}  ${k.source.checksum} / ${k.target.checksum}  ${mark}`,
    );
  }
}

async function openSource(from: string, upgrade: boolean): Promise<SqliteStore> {
  try {
    if (upgrade) await new SqliteStore(from).close(); // a read-write open applies the missing migrations
    return new SqliteStore(from, { readonly: true });
  } catch (err) {
    if (!(err instanceof StoreOpenError)) throw err;
    const advice =
      err.reason === 'schema-older' ? '; pass --upgrade-source to migrate its schema first (this writes to it), or open it once with this version' : '';
    throw new CliError(`--from ${err.message}${advice}`, 2);
  }
}

export const registerMigrate: Register = (program, ctx) => {
  program
    .command('migrate')
    .description('copy an embedded (SQLite) database into PostgreSQL, then verify counts and checksums of every table')
    .option('--from <path>', 'SQLite database to copy (default: --db, env RADAR_DB, else ./radar.db)')
    .requiredOption('--to <url>', 'PostgreSQL database to copy into (postgres://…); must be empty, or an interrupted run of the same migration')
    .option('--upgrade-source', "first apply this version's missing schema migrations to the source (otherwise it is only read)")
    .action(async (opts: { from?: string; to: string; upgradeSource?: boolean }) => {
      const c = ctx();
      const from = resolve(opts.from ?? c.dbLocation);
      if (isPostgresUrl(from) || (opts.from && isPostgresUrl(opts.from))) throw new CliError('--from must be an SQLite file', 2);
      if (!existsSync(from)) throw new CliError(`--from ${from}: no such database file`, 2);
      if (!isPostgresUrl(opts.to)) throw new CliError(`--to ${opts.to}: not a postgres:// URL`, 2);

      // Loaded here so other commands never load the PostgreSQL driver.
      const { PostgresStore } = await import('../../store/postgres/store.ts');
      const { redactUrl } = await import('../../store/postgres/db.ts');
      const { transfer, TransferRefused } = await import('../../store/postgres/transfer.ts');
      const source = await openSource(from, !!opts.upgradeSource);
      let target: PostgresStore | undefined;
      const progress = reporter(c);
      try {
        target = await PostgresStore.open(opts.to);
        c.say(`migrating ${from} → ${redactUrl(opts.to)}`);
        const t0 = Date.now();
        const result = await transfer(source, target, { sourceName: from, onProgress: (p) => progress.update(p), now: c.now });
        progress.stop();
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        if (result.mode === 'verified') c.say('this migration had already finished; verified only');
        else if (result.mode === 'resumed') c.say('resumed an interrupted migration');
        const copiedRows = Object.values(result.copied).reduce((a, b) => a + b, 0);
        c.say(`copied ${fmt(copiedRows)} rows in ${secs} s; verification:`);
        printChecks(c, result.checks);
        if (c.json) c.emitJson({ from, to: redactUrl(opts.to), ...result });
        if (!result.ok) {
          if (result.mode === 'resumed') c.say('this run resumed an interrupted one: if the source changed since, the rows copied before the interruption are older than the rest');
          const bad = result.checks.filter((k) => !k.ok).map((k) => k.table);
          throw new CliError(`verification FAILED: ${bad.join(', ')} differ between ${from} and ${redactUrl(opts.to)}`, 1);
        }
        c.say('verified: every table has the same rows and content on both sides');
      } catch (err) {
        progress.stop();
        if (err instanceof TransferRefused) throw new CliError(err.message, 2);
        throw err;
      } finally {
        await source.close();
        await target?.close();
      }
    });
};
