import { buildFeed, ProfileNotFoundError, type Feed } from '../../profile/feed.ts';
import { openProfileDeps } from '../../profile/deps.ts';
import { describeListingWindow, listingWindow, parseSince, type ListingWindow } from '../../profile/window.ts';
import { dayRule, finiteNumberRule, limitRule, readOption } from '../../config/options.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';

function printFeed(c: CliContext, feed: Feed, window: ListingWindow) {
  const s = feed.stats;
  c.say(`${feed.profile}: papers listed ${describeListingWindow(window)}`);
  c.say(
    `${s.candidates} in the window: ${s.aboveCutoff} above the cut-off ${s.cutoff}` +
      `${s.cut ? ` (the best ${feed.items.length} listed, ${s.cut} more cut by --limit)` : ''}, ${s.belowCutoff} below it, ${s.hidden} already yours/seen, ${s.excludedByRules} excluded by rules` +
      `${s.unrepresented ? `, ${s.unrepresented} not indexed yet` : ''}${s.coldStart ? '; cold start: similarity to your papers only' : ''}`,
  );
  feed.items.forEach((it, i) => {
    c.say(`\n${String(i + 1).padStart(2)}. ${it.title || '(title unknown)'}  [${it.score.toFixed(2)}]`);
    c.say(`    ${it.id}${it.date ? ` · ${it.date}` : ''}${it.authors.length ? ` · ${it.authors.slice(0, 4).join(', ')}${it.authors.length > 4 ? ' et al.' : ''}` : ''}`);
    for (const r of it.reasons) c.say(`    - ${r.text}`);
  });
  if (!feed.items.length) c.say('nothing above the cut-off in this window (try a longer --since such as 30d, or a lower --cutoff)');
}

export const registerFeed: Register = (program, ctx) => {
  program
    .command('feed')
    .description("a profile's ranked, explained feed of the papers listed in a window (counted back from the newest listing day; undated papers are never new)")
    .argument('<profile>', 'profile name')
    .option('--since <span>', 'window: 1d, 7d, 2w, 3m, 1y or a day YYYY-MM-DD (default 7d)')
    .option('--until <day>', 'count the window back from the newest listing day up to this day (default: today)')
    .option('--limit <n>', 'at most this many papers (default 20)')
    .option('--cutoff <score>', "relevance cut-off for this run (overrides the profile's)")
    .action(async (name: string, o: { since?: string; until?: string; limit?: string; cutoff?: string }) => {
      const c = ctx();
      const until = readOption('--until', dayRule, o.until);
      const now = until ? new Date(`${until}T12:00:00Z`) : c.now();
      try {
        parseSince(o.since ?? '7d', now);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      // The API's bound (routes/profiles.ts): the same feed, asked either way, takes the same limit.
      const limit = readOption('--limit', limitRule(200), o.limit, 20);
      const cutoff = readOption('--cutoff', finiteNumberRule, o.cutoff);
      let window!: ListingWindow;
      const feed = await c
        .withStore(async (store) => {
          window = await listingWindow(store.papers, o.since ?? '7d', now);
          return buildFeed(await openProfileDeps(store, (line) => c.say(line)), name, { from: window.from, to: window.to, limit, now, cutoff });
        })
        .catch((err) => {
          if (err instanceof ProfileNotFoundError) throw new CliError(err.message, 2);
          throw err;
        });
      if (c.json) return c.emitJson(feed.items);
      printFeed(c, feed, window);
    });
};
