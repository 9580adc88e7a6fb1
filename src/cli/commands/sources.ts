import { followSource, SourceInputError, sourceStates, unfollowSource, type SourceState } from '../../jobs/follow.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';
import { loadCliConfig } from './fetch.ts';

function printState(c: CliContext, s: SourceState) {
  c.say(`${s.name.padEnd(16)} ${s.label}`);
  c.say(`    ${s.lastFetchedAt ? `last fetched ${s.lastFetchedAt}${s.lastAdded !== undefined ? ` (${s.lastAdded} papers added or updated)` : ''}` : 'not fetched yet'}`);
  if (s.lastError) c.say(`    last run ${s.lastRunAt}: ${s.lastError}`);
  if (s.nextRunAt) c.say(`    next run ${s.nextRunAt}  (${s.schedule}; runs under \`radar serve\`/\`npm start\` or \`radar worker\`)`);
  if (s.backfill) c.say(`    back-fill of ${s.backfill.days} day(s): ${s.backfill.state}${s.backfill.progress ? ` — ${s.backfill.progress}` : ''}${s.backfill.error ? ` — ${s.backfill.error}` : ''}`);
}

/**
 * `radar sources add|list|remove`: the arXiv categories and Hugging Face
 * Daily Papers this database follows. Stored in the database (the web app's
 * Sources page shows the same); `radar serve` and `radar worker` fetch them.
 */
export const registerSources: Register = (program, ctx) => {
  const sources = program.command('sources').description('follow arXiv categories and Hugging Face Daily Papers (fetched by `radar serve` / `radar worker`)');

  sources
    .command('add')
    .description('follow a source and queue a back-fill of its last days')
    .argument('<source...>', 'arXiv categories (cs.LG, math.OC, …) and/or hf for Hugging Face Daily Papers')
    .option('--days <n>', 'back-fill this many days (0: none; default 7)')
    .action(async (names: string[], o: { days?: string }) => {
      const c = ctx();
      const days = o.days === undefined ? undefined : Number(o.days);
      const results = await c.withStore(async (store) => {
        const out = [];
        for (const name of names) {
          try {
            out.push(await followSource(store, { name, backfillDays: days }, c.now()));
          } catch (err) {
            if (err instanceof SourceInputError) throw new CliError(err.message, 2);
            throw err;
          }
        }
        return out;
      });
      if (c.json) return c.emitJson(results);
      for (const r of results) {
        const label = r.source.kind === 'hf' ? 'hf (Hugging Face Daily Papers)' : `arxiv:${r.source.category}`;
        if (!r.created) c.say(`${label}: already followed`);
        else c.say(`${label}: followed${r.backfill ? `; back-fill of the last ${r.source.backfillDays} day(s) queued as job #${r.backfill.id} (runs under \`radar serve\` or \`radar worker\`)` : ''}`);
      }
    });

  sources
    .command('list', { isDefault: true })
    .description('the followed sources: last fetched, next run, last error, back-fill progress')
    .option('--config <path>', 'configuration file (schedules)')
    .action(async (o: { config?: string }) => {
      const c = ctx();
      const config = loadCliConfig(c, o.config);
      const states = await c.withStore((store) => sourceStates(store, config, c.now()));
      if (c.json) return c.emitJson(states);
      if (!states.length) c.say('no sources followed; add one with `radar sources add cs.LG` or `radar sources add hf`');
      for (const s of states) printState(c, s);
    });

  sources
    .command('remove')
    .description('stop following a source (its papers stay)')
    .argument('<source...>', 'as listed: arxiv:cs.LG (or cs.LG), hf')
    .action(async (names: string[]) => {
      const c = ctx();
      const removed = await c.withStore(async (store) => {
        const out: { source: string; removed: boolean }[] = [];
        for (const name of names) {
          try {
            out.push({ source: name, removed: await unfollowSource(store, name) });
          } catch (err) {
            if (err instanceof SourceInputError) throw new CliError(err.message, 2);
            throw err;
          }
        }
        return out;
      });
      if (c.json) return c.emitJson(removed);
      for (const r of removed) c.say(r.removed ? `${r.source}: no longer followed (its papers stay)` : `${r.source}: was not followed`);
      if (removed.some((r) => !r.removed)) throw new CliError('some sources were not followed', 1);
    });
};
