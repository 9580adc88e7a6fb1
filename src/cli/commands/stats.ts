import type { SqliteStore } from '../../store/sqlite/store.ts';
import type { Store } from '../../store/types.ts';
import type { Register } from '../commands.ts';

/**
 * SQLite: whether keyword search ranks with the native BM25F extension
 * (native/radar_fts.c) or FTS5's bm25() fallback, and why. PostgreSQL ranks
 * in SQL: nothing to say.
 */
function nativeRanking(store: Store): { nativeRanking?: { active: boolean; reason?: string } } {
  if (store.kind !== 'sqlite') return {};
  const native = (store as SqliteStore).search.native;
  return { nativeRanking: native.loaded ? { active: true } : { active: false, reason: native.reason } };
}

export const registerStats: Register = (program, ctx) => {
  program
    .command('stats')
    .description('counts of papers, profiles, authors and sources in the database')
    .action(async () => {
      const c = ctx();
      const stats = await c.withStore(async (s) => ({ ...(await s.papers.stats()), ...nativeRanking(s) }));
      if (c.json) return c.emitJson(stats);
      c.say(`${c.dbLocation}`);
      c.say(`  papers      ${stats.papers} (${stats.withAbstract} with abstract, ${stats.withoutTitle} without title)`);
      c.say(`  profiles    ${stats.profiles}`);
      c.say(`  authors     ${stats.authors}`);
      c.say(`  categories  ${stats.categories}`);
      if (stats.firstDay) c.say(`  days        ${stats.firstDay} … ${stats.lastDay}`);
      for (const [kind, n] of Object.entries(stats.sources)) c.say(`  from ${kind.padEnd(15)} ${n}`);
      if (stats.nativeRanking) {
        const r = stats.nativeRanking;
        c.say(`  ranking     ${r.active ? 'native BM25F (native/radar_fts.c)' : `FTS5 bm25, the fallback: native ranking is off (${r.reason})`}`);
      }
    });
};
