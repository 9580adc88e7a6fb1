import type { Register } from '../commands.ts';

export const registerStats: Register = (program, ctx) => {
  program
    .command('stats')
    .description('counts of papers, profiles, authors and sources in the database')
    .action(async () => {
      const c = ctx();
      const stats = await c.withStore((s) => s.stats());
      if (c.json) return c.emitJson(stats);
      c.say(`${c.dbLocation}`);
      c.say(`  papers      ${stats.papers} (${stats.withAbstract} with abstract, ${stats.withoutTitle} without title)`);
      c.say(`  profiles    ${stats.profiles}`);
      c.say(`  authors     ${stats.authors}`);
      c.say(`  categories  ${stats.categories}`);
      if (stats.firstDay) c.say(`  days        ${stats.firstDay} … ${stats.lastDay}`);
      for (const [kind, n] of Object.entries(stats.sources)) c.say(`  from ${kind.padEnd(15)} ${n}`);
    });
};
