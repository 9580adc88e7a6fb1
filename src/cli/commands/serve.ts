import { buildServer } from '../http-app.ts';
import { openStore } from '../../store/open.ts';
import { adoptProcessEmbedder } from '../../vectors/select.ts';
import { buildRuntime } from '../runtime.ts';
import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';

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
    .action(async (opts: { port?: string; host: string; config?: string; jobs: boolean; embedder?: string }) => {
      const c = ctx();
      const rt = buildRuntime(c, opts);
      const { config, port } = rt;
      // The import hook of jobs run in this process reads the process's setting (vectors/hook.ts): give it this one.
      adoptProcessEmbedder(rt.embedder);
      const embedder = rt.embedder;
      const store = await openStore(rt.database);
      let server;
      try {
        server = await buildServer({ store, config, now: () => c.now(), runJobs: opts.jobs, embedder });
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
      if (c.json) c.emitJson({ url, db: store.location });
      c.say(`Paper Radar on ${url}  (database ${store.location}; Ctrl-C to stop)`);
      if (server.jobs) c.say(`running the scheduled jobs ${config.jobs.map((j) => j.name).join(', ')} (see \`radar jobs\`)`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      c.say('stopping…');
      await server.close();
      await store.close();
    });
};
