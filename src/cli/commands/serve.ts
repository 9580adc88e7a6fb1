import { networkInterfaces } from 'node:os';
import { buildServer } from '../http-app.ts';
import { SERVER_ADDRESS_KEY } from '../../digest/public-url.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/types.ts';
import { indexHealth } from '../../vectors/health.ts';
import { refreshIndexes } from '../../vectors/refresh.ts';
import { refreshOptionsFor, type EmbedderSetting } from '../../vectors/select.ts';
import { buildRuntime } from '../runtime.ts';
import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';

/**
 * Indexes left behind the papers (a refresh or a bulk import cut short by a kill) are brought
 * up to date in the background as the server starts; another process already
 * refreshing covers them.
 */
async function healIndexes(store: Store, embedder: EmbedderSetting, say: (line: string) => void): Promise<void> {
  try {
    // A bulk import killed before its rebuild left full-text search behind the papers; one still running is left to finish it.
    const bulk = await store.bulk?.pending();
    if (bulk && !bulk.runningIn) {
      say(`a bulk import begun ${bulk.startedAt} did not finish: rebuilding the full-text and secondary indexes it deferred`);
      await store.bulk!.finish(say);
    }
    const health = await indexHealth(store);
    if (!health.due) return;
    say(`indexes are behind the papers (${health.checks.filter((x) => !x.ok).map((x) => `${x.index}: ${x.detail}`).join('; ')}); refreshing them in the background`);
    const r = await refreshIndexes(store, { ...refreshOptionsFor(embedder), onBusy: 'skip' });
    if (!r.skipped) say(`indexes up to date (${r.sparse.updated.toLocaleString('en')} papers counted, ${r.dense.updated.toLocaleString('en')} embedded)`);
  } catch (err) {
    // The store closes under a refresh when the server stops; nothing to report then.
    if (!/closed|not open|Cannot use a pool/i.test((err as Error).message)) say(`index refresh failed: ${(err as Error).message}; \`radar doctor\` retries it`);
  }
}

/** How long a stop waits for requests in flight before it ends them. */
const STOP_WITHIN_MS = 1000;

/**
 * `radar serve`: the web app and the JSON API on one port, over the store
 * `--db` names. Runs until SIGINT/SIGTERM, then closes the server and the store.
 */
export const registerServe: Register = (program, ctx) => {
  program
    .command('serve')
    .description('serve the web app and the JSON API (/api, documented at /api/openapi.json)')
    .option('--port <n>', 'port (default: env PORT, else the config file\'s port, else 8080; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 to let other machines in)', '127.0.0.1')
    .option('--config <path>', 'configuration file (default: env RADAR_CONFIG, else radar.config.yaml next to the database)')
    .option('--no-jobs', 'do not run the configured scheduled jobs in this process (leave them to `radar worker`)')
    .option('--embedder <spec>', 'dense model: builtin, onnx:DIR, openai:URL?model=NAME (default: env RADAR_EMBEDDER, else the model the indexes hold)')
    .option('--public-url <url>', "the address people use to reach this server (default: the configuration's baseUrl); its host name is answered to")
    .option('--allow-host <names>', 'more host names to answer to, comma-separated (requests for any other name get 421)')
    .option('--open', 'serve beyond loopback without accounts: anyone who reaches the port can read and change everything')
    .action(async (opts: { port?: string; host: string; config?: string; jobs: boolean; embedder?: string; publicUrl?: string; allowHost?: string; open?: boolean }) => {
      const c = ctx();
      const rt = buildRuntime(c, opts);
      const { config, port } = rt;
      const embedder = rt.embedder;
      const publicUrl = opts.publicUrl ?? config.baseUrl;
      if (opts.publicUrl && !/^https?:\/\/[^/]+/.test(opts.publicUrl)) throw new CliError(`--public-url: expected an http(s) URL, got "${opts.publicUrl}"`, 2);
      const store = await openStore(rt.database);
      const exposed = !isLoopback(opts.host);
      if (exposed && (await store.accounts.countUsers()) === 0) {
        if (!opts.open) {
          await store.close();
          throw new CliError(
            `refusing to listen on ${opts.host} with no accounts: anyone who reaches this machine could read and change every profile. ` +
              'Create an admin first (`radar users add NAME --admin`), or pass --open to serve without sign-in anyway.',
            2,
          );
        }
        c.say(`WARNING: --open: serving on ${opts.host} WITHOUT SIGN-IN. Anyone who can reach this port can read, change and delete everything.`);
      }
      const allowedHosts = [
        ...(publicUrl ? hostsOf(publicUrl) : []),
        ...(opts.allowHost ?? '').split(',').map((h) => h.trim()).filter(Boolean),
        ...(exposed ? (isWildcard(opts.host) ? ownAddresses() : [opts.host]) : []),
      ];
      let server;
      try {
        server = await buildServer({ store, config, now: () => c.now(), runJobs: opts.jobs, embedder, allowedHosts, secureCookies: !!publicUrl?.startsWith('https:') });
      } catch (err) {
        await store.close();
        // A configuration the job runtime cannot run is the user's to fix: say so without a stack.
        if (/^cannot run the configured jobs/.test((err as Error).message)) throw new CliError((err as Error).message, 2);
        throw err;
      }
      let address: string;
      try {
        address = await server.app.listen({ port, host: opts.host });
      } catch (err) {
        await server.close();
        await store.close();
        throw new CliError(`cannot listen on ${opts.host}:${port}: ${(err as Error).message}`, 1);
      }
      const url = address.replace('://127.0.0.1', '://localhost');
      // Mails sent by a worker have no request to take an address from: they link to where the server last listened.
      if (!config.baseUrl && !/:\/\/(0\.0\.0\.0|\[::\])/.test(url)) await store.jobs.putState(SERVER_ADDRESS_KEY, { url }, c.now().toISOString());
      if (c.json) c.emitJson({ url, db: store.location });
      c.say(`Paper Radar on ${url}  (database ${store.location}; Ctrl-C to stop)`);
      if (exposed) c.say(`answering to ${['localhost', ...new Set(allowedHosts)].join(', ')} (other host names get 421; add one with --allow-host)`);
      void healIndexes(store, embedder, (line) => c.say(line));
      if (server.jobs) c.say(`running the scheduled jobs ${(await server.jobs.scheduler.upcoming()).map((j) => j.name).join(', ')} (see \`radar jobs\`)`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      c.say('stopping…');
      // A request in flight (an import of a big upload) would hold the close
      // open for as long as it runs. Stopping must not wait for it: whatever it
      // committed stays (imports commit batch by batch), the rest is redone
      // by running it again.
      const closed = (async () => {
        await server.close();
        await store.close();
      })();
      const late = await Promise.race([closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_WITHIN_MS).unref())]);
      if (late) {
        c.say(`work in progress did not finish within ${STOP_WITHIN_MS / 1000} s; stopped it (what it committed stays)`);
        process.exit(0);
      }
    });
};

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '[::]';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host name of the public URL, unless it is a loopback one (those are always answered to). */
function hostsOf(url: string): string[] {
  try {
    const h = new URL(url).hostname;
    return isLoopback(h) ? [] : [h];
  } catch {
    return [];
  }
}

/**
 * This machine's own addresses, answered to when listening on all of them: a
 * browser that asks for an IP address sends that address as Host, which an
 * attacker's page (whose Host is its own name) cannot.
 */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => !!a && !a.internal)
    .map((a) => a!.address);
}
