import { ProfileError } from '../../profile/profiles.ts';
import { topicsView } from '../../profile/topics.ts';
import { refreshIndexes } from '../../vectors/refresh.ts';
import { refreshOptionsFor, resolveEmbedder } from '../../vectors/select.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';
import type { TopicsView } from '../../vectors/topics/read.ts';

const BARS = '▁▂▃▄▅▆▇█';

export function sparkText(values: number[]): string {
  const max = Math.max(1, ...values);
  return values.map((v) => BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))]).join('');
}

function printTopics(c: CliContext, view: TopicsView) {
  c.say(`${view.topics.length} topic(s), most rising first; papers per week for the 26 weeks to ${view.lastWeek} (built ${view.builtAt.slice(0, 16)})`);
  for (const t of view.topics) {
    const mark = t.rising ? '▲ rising' : '';
    c.say(`${String(t.id).padStart(4)}  ${sparkText(t.trend)}  ×${t.growth.toFixed(2).padEnd(5)} ${String(t.size).padStart(6)}  ${t.label}  ${mark}`);
  }
  c.say('×growth: share of papers this month ÷ the three months before; ▲ rising: significant at a 5 % false discovery rate');
}

export const registerTopics: Register = (program, ctx) => {
  program
    .command('topics')
    .description('topics of the corpus with papers per week (26 weeks) and growth, most rising first')
    .option('--profile <name>', "only the topics near this profile's papers")
    .option('--rebuild', 'rebuild the topics and the map now (otherwise they are maintained with the indexes)')
    .action(async (o: { profile?: string; rebuild?: boolean }) => {
      const c = ctx();
      const view = await c
        .withStore(async (store) => {
          if (o.rebuild) {
            const r = await refreshIndexes(store, { ...refreshOptionsFor(resolveEmbedder()), onBusy: 'wait', topics: { force: true }, progress: (p) => p.message && c.say(p.message) });
            if (r.topics?.skipped) c.say(`topics: ${r.topics.skipped}`);
          }
          return topicsView(store, { profile: o.profile });
        })
        .catch((err) => {
          if (err instanceof ProfileError) throw new CliError(err.message, 2);
          throw err;
        });
      if (!view) {
        if (c.json) return c.emitJson([]);
        c.say('no topics yet: they are built with the indexes once the dense model is (import papers, or run `radar topics --rebuild`)');
        return;
      }
      if (c.json) return c.emitJson(view.topics.map((t) => ({ id: t.id, label: t.label, size: t.size, trend: t.trend, growth: t.growth, rising: t.rising, p: t.p, q: t.q, terms: t.terms })));
      printTopics(c, view);
    });
};
