/**
 * Load test: several `radar serve` processes on one database, driven by
 * autocannon over loopback for a bounded time per endpoint:
 *   search    GET /api/search?q=…           (a rotating mix of 1–3 title words of real papers)
 *   feed      GET /api/profiles/bench/feed  (a profile from the seed publication list, last 7 listing days)
 *   feedback  POST /api/profiles/bench/feedback, each paper liked once, spread over the processes;
 *             afterwards the stored likes must equal the accepted requests (no lost updates)
 * Prints throughput, latency p50/p99 and errors (connection errors, non-2xx) per endpoint and backend.
 *
 *   npx tsx bench/load.ts [--backends sqlite,postgres] [--processes 2] [--seconds 15] [--connections 8]
 *                         [--writes 400] [--cache DIR] [--pg postgres://…]
 *
 * Corpus: the 74,728 real arXiv-daily papers (../shared/data/arxiv-daily),
 * imported and indexed through bench/lib/backend-phases.ts (the SQLite file is
 * kept in the cache dir for the next run; PostgreSQL gets a throwaway local
 * cluster, or with --pg an existing database that already holds the papers and
 * their indexes, e.g. one `radar migrate` filled from the SQLite file; the
 * feedback writes land in it). autocannon runs in this process, so on a 2-core machine the load
 * generator shares the CPU with the servers: the figures are a floor.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import { destroyCluster, findPgBin, makeClusterDir, startCluster } from '../test/helpers/pg-cluster.ts';
import { openStore } from '../src/store/open.ts';
import { DAILY, freshPgDatabase, ROOT, runPhase, SEED_LIST } from './lib/run-phase.ts';
import { mulberry32 } from '../src/text/random.ts';
import { flag, opt } from './lib/args.ts';

const BACKENDS = opt('backends', 'sqlite,postgres').split(',');
const PROCESSES = Number(opt('processes', '2'));
const SECONDS = Number(opt('seconds', '15'));
const CONNECTIONS = Number(opt('connections', '8'));
const WRITES = Number(opt('writes', '400'));
const CACHE = resolve(opt('cache', join(tmpdir(), 'radar-load-bench')));
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Endpoint {
  rps: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** A store holding the real papers, their indexes and the `bench` profile. */
async function prepare(backend: string): Promise<{ location: string; cluster?: string }> {
  let location: string;
  let cluster: string | undefined;
  if (backend === 'sqlite') {
    const dir = join(CACHE, 'sqlite');
    location = join(dir, 'radar.db');
    if (existsSync(join(dir, 'ready'))) return { location };
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  } else if (flag('pg')) {
    location = opt('pg', '');
    const store = await openStore(location);
    const ready = await store.profiles.getProfile('bench');
    await store.close();
    if (!ready) execFileSync(process.execPath, [join(ROOT, 'bin', 'radar.js'), 'profile', 'create', 'bench', '--from', SEED_LIST, '--db', location], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    return { location };
  } else {
    const bin = findPgBin();
    if (!bin) throw new Error('PostgreSQL is not installed here (apt-get install postgresql), or run with --backends sqlite');
    cluster = makeClusterDir('/tmp', 'radar-pg-load-');
    location = await freshPgDatabase((await startCluster(cluster, bin)).url('postgres'), 'radar_load');
  }
  log(`${backend}: importing the real papers and building indexes …`);
  runPhase('import', DAILY, location);
  runPhase('index', location);
  execFileSync(process.execPath, [join(ROOT, 'bin', 'radar.js'), 'profile', 'create', 'bench', '--from', SEED_LIST, '--db', location], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (backend === 'sqlite') writeFileSync(join(CACHE, 'sqlite', 'ready'), new Date().toISOString());
  return { location, cluster };
}

/** `radar serve` in its own process; resolves with its URL once it listens. */
function serve(location: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'radar.js'), 'serve', '--db', location, '--port', '0', '--no-jobs', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`radar serve exited with ${code} before listening`)));
    // --json prints `{url, db}` (pretty-printed): read lines until they parse.
    let text = '';
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      text += line;
      try {
        ok({ child, url: (JSON.parse(text) as { url: string }).url });
        lines.close();
      } catch {
        // not complete yet
      }
    });
  });
}

/** autocannon over every server at once; `next()` gives each request's method, path and body. */
async function hammer(urls: string[], next: () => { method?: 'GET' | 'POST'; path: string; body?: string }, bounds: { seconds?: number; amount?: number }): Promise<Endpoint> {
  const r = await autocannon({
    // autocannon ≥ 4 spreads connections over an array of URLs; @types/autocannon still says string.
    url: urls as unknown as string,
    connections: Math.max(urls.length, Math.round(CONNECTIONS / urls.length) * urls.length),
    ...(bounds.amount ? { amount: bounds.amount } : { duration: bounds.seconds }),
    timeout: 30,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const n = next();
          return { ...req, method: n.method ?? 'GET', path: n.path, body: n.body, headers: n.body ? { 'content-type': 'application/json' } : {} } as autocannon.Request;
        },
      },
    ],
  });
  return { rps: Math.round(r.requests.total / r.duration), requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/**
 * The database's own ranked query (`@@ plainto_tsquery … ORDER BY ts_rank LIMIT 20`, as
 * bench/backends.ts) under the same concurrency and time, from a pool in this process:
 * the ceiling the server's search is measured against.
 */
async function rawSearchLoad(location: string, queries: string[]): Promise<Endpoint> {
  const pool = new pg.Pool({ connectionString: location, max: CONNECTIONS });
  const ms: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await pool.query(`SELECT pk FROM papers, plainto_tsquery('radar_english', $1) q WHERE fts @@ q ORDER BY ts_rank('{0, 0.4, 0.2, 1}', fts, q) DESC LIMIT 20`, [queries[i++ % queries.length]]);
          ms.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await pool.end();
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? NaN);
  return { rps: Math.round(ms.length / seconds), requests: ms.length, p50: at(0.5), p99: at(0.99), errors, non2xx: 0 };
}

async function loadTest(backend: string): Promise<Record<string, unknown>> {
  const { location, cluster } = await prepare(backend);
  const servers: ChildProcess[] = [];
  try {
    const store = await openStore(location);
    const stats = await store.papers.stats();
    const rand = mulberry32(7);
    const sample = await store.papers.getPapersByPk(await store.profiles.samplePaperPks(Math.max(2000, WRITES), 11));
    await store.close();
    const words = sample.flatMap((p) => (p.title ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3)).slice(0, 3000);
    const queries = Array.from({ length: 500 }, () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => words[Math.floor(rand() * words.length)]).join(' '));

    log(`${backend}: starting ${PROCESSES} radar serve processes …`);
    const started = await Promise.all(Array.from({ length: PROCESSES }, () => serve(location)));
    servers.push(...started.map((s) => s.child));
    const urls = started.map((s) => s.url);
    const feedPath = `/api/profiles/bench/feed?since=7d&to=${stats.lastDay}&limit=20`;
    // First requests: each process opens its indexes and fits the profile model once (cached after).
    const t = performance.now();
    await Promise.all(urls.map(async (u) => {
      for (const path of [`/api/search?q=${encodeURIComponent(queries[0])}`, feedPath]) {
        const res = await fetch(u + path);
        if (!res.ok) throw new Error(`${u}${path}: HTTP ${res.status} ${await res.text()}`);
      }
    }));
    const warmMs = Math.round(performance.now() - t);

    let i = 0;
    log(`${backend}: search for ${SECONDS} s …`);
    const search = await hammer(urls, () => ({ path: `/api/search?q=${encodeURIComponent(queries[i++ % queries.length])}&limit=20` }), { seconds: SECONDS });
    const raw = backend === 'postgres' ? await rawSearchLoad(location, queries) : undefined;
    log(`${backend}: feed for ${SECONDS} s …`);
    const feed = await hammer(urls, () => ({ path: feedPath }), { seconds: SECONDS });
    log(`${backend}: ${WRITES} feedback writes …`);
    let w = 0;
    const ids = sample.slice(0, WRITES).map((p) => p.id);
    const writes = await hammer(urls, () => ({ method: 'POST', path: '/api/profiles/bench/feedback', body: JSON.stringify({ id: ids[w++ % ids.length], action: 'like' }) }), { amount: WRITES });
    const profile = (await (await fetch(`${urls[0]}/api/profiles/bench`)).json()) as { feedback: { like: number } };
    return { papers: stats.papers, warmMs, search, ...(raw ? { raw } : {}), feed, writes: { ...writes, stored: profile.feedback.like } };
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    await Promise.all(servers.map((s) => (s.exitCode === null ? new Promise((ok) => s.once('exit', ok)) : undefined)));
    if (cluster) await destroyCluster(cluster);
  }
}

const results: Record<string, Record<string, any>> = {};
for (const backend of BACKENDS) results[backend] = await loadTest(backend);

if (flag('json')) console.log(JSON.stringify({ processes: PROCESSES, seconds: SECONDS, connections: CONNECTIONS, results }, null, 2));
const row = (name: string, e: Endpoint) =>
  `  ${name.padEnd(9)} ${String(e.rps).padStart(7)} ${String(e.requests).padStart(9)} ${String(e.p50).padStart(7)} ${String(e.p99).padStart(7)} ${String(e.errors).padStart(7)} ${String(e.non2xx).padStart(7)}`;
console.log(`Load test: ${PROCESSES} radar serve processes, ${CONNECTIONS} connections, ${SECONDS} s per read endpoint; ${cpus().length} cores (autocannon shares them), load ${loadavg()[0].toFixed(1)}`);
for (const [backend, r] of Object.entries(results)) {
  console.log(`\n${backend} (${r.papers.toLocaleString('en')} real papers; first search + feed per process ${r.warmMs} ms)`);
  console.log('  endpoint    req/s  requests  p50 ms  p99 ms  errors  non-2xx');
  console.log(row('search', r.search));
  if (r.raw) console.log(row('raw sql', r.raw));
  console.log(row('feed', r.feed));
  console.log(row('feedback', r.writes));
  const lost = r.writes.requests - r.writes.non2xx - r.writes.stored;
  console.log(`  feedback stored: ${r.writes.stored} of ${r.writes.requests - r.writes.non2xx} accepted likes${lost === 0 ? ' — none lost' : ` — ${lost} LOST`}`);
}
