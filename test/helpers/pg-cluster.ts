/**
 * A throwaway local PostgreSQL cluster, for the test suite and benchmarks:
 * `initdb` into a directory, a server listening only on a unix socket in that
 * directory (no TCP port to collide with anything), trust authentication, and
 * durability switched off (the data is thrown away). Not for real data.
 *
 * PostgreSQL refuses to run as root. When this process is root (CI runs as
 * root on a fresh Debian machine), initdb and the server run as the
 * `postgres` system user the Debian package creates (else `nobody`), and the
 * directory is handed to that user.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLUSTER_USER = 'radar';

export interface ClusterInfo {
  /** The directory holding data, socket and log. */
  dir: string;
  /** Connection URL of a database in the cluster (superuser, no password). */
  url(database: string): string;
}

/**
 * Where initdb and pg_ctl are: env `RADAR_PG_BIN`, else the newest Debian
 * `/usr/lib/postgresql/<version>/bin`, else other common places, else PATH.
 */
export function findPgBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (env.RADAR_PG_BIN) return has(env.RADAR_PG_BIN) ? env.RADAR_PG_BIN : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(debian, v, 'bin'))) return join(debian, v, 'bin');
  }
  for (const dir of ['/usr/local/pgsql/bin', '/usr/pgsql/bin', ...(env.PATH ?? '').split(':').filter(Boolean)]) {
    if (has(dir)) return dir;
  }
  return undefined;
}

/** The uid/gid to run the server as: undefined when not root (run as ourselves). */
function serverUser(): { uid: number; gid: number; name: string } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8').split('\n') : [];
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid), name };
  }
  throw new Error('running as root, and there is neither a "postgres" nor a "nobody" user to run PostgreSQL as');
}

function run(file: string, args: string[], cwd: string): Promise<string> {
  const user = serverUser();
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeout: 120_000, ...(user ? { uid: user.uid, gid: user.gid } : {}) },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`.trim()));
        else resolve(stdout);
      },
    );
  });
}

/** Socket paths are limited to about 107 bytes; keep the directory short. */
function checkSocketPath(dir: string): void {
  if (join(dir, '.s.PGSQL.5432').length > 100) throw new Error(`cluster directory ${dir} is too long for a unix socket path`);
}

export function clusterUrl(dir: string, database: string): string {
  return `postgres://${CLUSTER_USER}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(dir)}`;
}

/**
 * Creates and starts a cluster in `dir` (an existing, empty directory).
 * Takes about 2 s, mostly initdb.
 */
export async function startCluster(dir: string, bin: string): Promise<ClusterInfo> {
  checkSocketPath(dir);
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  await run(join(bin, 'initdb'), ['-D', data, '-U', CLUSTER_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], dir);
  // pg_ctl hands -o to a shell: quote the directory.
  const quoted = `'${dir.replace(/'/g, `'\\''`)}'`;
  const serverOptions = [
    `-k ${quoted}`,
    '-c listen_addresses=',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
    '-c shared_buffers=64MB',
  ].join(' ');
  await run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start'], dir);
  return { dir, url: (database) => clusterUrl(dir, database) };
}

/** The server's pid from its pid file, when it is (still) running. */
function serverPid(dir: string): number | undefined {
  const pidFile = join(dir, 'data', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Stops the server (immediate shutdown: nothing in it is kept) and removes
 * the directory. Safe to call when nothing was started.
 */
export async function destroyCluster(dir: string): Promise<void> {
  const pid = serverPid(dir);
  if (pid) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // already gone
    }
    for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes a fresh directory for a cluster under `parent`, owned by whoever will
 * run the server, with a file naming the process that owns it (`reapStale`
 * removes clusters whose owner died without cleaning up).
 */
export function makeClusterDir(parent: string, prefix: string, ownerPid = process.pid): string {
  const dir = join(parent, `${prefix}${process.pid.toString(36)}-${Date.now().toString(36)}`);
  mkdirSync(dir, { mode: 0o700 });
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  writeOwner(dir, ownerPid);
  return dir;
}

function writeOwner(dir: string, pid: number): void {
  writeFileSync(join(dir, 'owner.pid'), String(pid));
}

/** Stops and removes clusters under `parent` named `prefix…` whose owning process no longer runs. */
export async function reapStale(parent: string, prefix: string): Promise<string[]> {
  const reaped: string[] = [];
  if (!existsSync(parent)) return reaped;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const dir = join(parent, name);
    try {
      if (!statSync(dir).isDirectory()) continue;
      const ownerFile = join(dir, 'owner.pid');
      if (!existsSync(ownerFile)) continue;
      const owner = Number(readFileSync(ownerFile, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
      await destroyCluster(dir);
      reaped.push(dir);
    } catch {
      // another run is reaping it, or it is not ours: leave it
    }
  }
  return reaped;
}
