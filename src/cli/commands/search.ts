import type { SearchSort } from '../../query/ast.ts';
import { searchDepsFor } from '../../rank/search-deps.ts';
import { MAX_LIMIT, MAX_OFFSET, searchPapers, type SearchMode, type SearchResult } from '../../rank/search.ts';
import type { Segment } from '../../text/highlight.ts';
import { limitRule, offsetRule, oneOf, readOption } from '../../config/options.ts';
import type { CliContext } from '../context.ts';
import type { Register } from '../commands.ts';

const SORTS: readonly SearchSort[] = ['relevance', 'date', 'upvotes'];
const MODES: readonly SearchMode[] = ['auto', 'bm25', 'dense', 'hybrid'];

/** Hits marked for a terminal: bold when stderr is a terminal, `*…*` when piped. */
function marked(segments: Segment[], tty: boolean): string {
  return segments.map((s) => (s.hit ? (tty ? `\x1b[1m${s.text}\x1b[22m` : `*${s.text}*`) : s.text)).join('');
}

function printHuman(c: CliContext, r: SearchResult, tty: boolean) {
  for (const w of r.warnings) c.say(`note: ${w.message}`);
  const about = r.totalExact ? '' : 'about ';
  const shown = r.hits.length ? `${r.offset + 1}–${r.offset + r.hits.length} of ${about}${r.total.toLocaleString('en')}` : `0 of ${about}${r.total.toLocaleString('en')}`;
  c.say(`${shown} for ${r.query.understood || '(nothing)'}${r.query.sort !== 'relevance' ? ` · by ${r.query.sort}` : ''}`);
  r.hits.forEach((h, i) => {
    const rank = String(r.offset + i + 1).padStart(3);
    const title = h.title ? marked(h.titleHighlight.segments, tty) : '(title unknown)';
    c.say(`\n${rank}. ${title}${h.matchedAll ? '' : '  (some words)'}`);
    const facts = [h.id, h.date, h.categories.slice(0, 3).join(' '), h.upvotes !== undefined ? `${h.upvotes} upvotes` : '', h.score ? `score ${h.score.toFixed(2)}` : '']
      .filter(Boolean)
      .join(' · ');
    c.say(`     ${facts}`);
    const authors = h.authors.length ? `${h.authors.slice(0, 5).join(', ')}${h.authors.length > 5 || !h.authorsComplete ? ' et al.' : ''}` : h.authorCount ? `${h.authorCount} authors` : '';
    if (authors) c.say(`     ${authors}`);
    if (h.snippet.segments.length) c.say(`     ${marked(h.snippet.segments, tty)}`);
  });
}

export const registerSearch: Register = (program, ctx) => {
  program
    .command('search')
    .description('keyword search: words, "phrases", -exclusions, prefix*, a OR b, author:, title:, cat:, year:, date:, after:, before:')
    .argument('<query...>', 'the query (quote it in the shell to keep "phrases" and special characters)')
    .option('--limit <n>', `results (1–${MAX_LIMIT}, default 20)`)
    .option('--offset <n>', 'skip this many results (paging)')
    .option('--sort <by>', `relevance, date or upvotes (default: relevance, or the query's sort:)`)
    // Keyword search by default: one short process that reads no vector index (opening them costs seconds
    // and hundreds of MB at 75k papers); the semantic modes are a flag away, and the API's default is auto.
    .option('--mode <mode>', 'bm25 (default: keyword search), hybrid (keywords + semantic), dense, or auto (hybrid when the indexes exist)')
    // `radar search diffusion -dropout`: an unknown dash word is an exclusion, not an option error.
    .allowUnknownOption()
    .action(async (words: string[], o: { limit?: string; offset?: string; sort?: string; mode?: string }) => {
      const c = ctx();
      const limit = readOption('--limit', limitRule(MAX_LIMIT), o.limit, 20);
      const offset = readOption('--offset', offsetRule(MAX_OFFSET), o.offset, 0);
      const sort = readOption('--sort', oneOf(SORTS), o.sort);
      const mode = readOption('--mode', oneOf(MODES), o.mode, 'bm25');
      // The embedder module (and what it loads) only when one is configured: the default follows the store's model.
      const setting = process.env.RADAR_EMBEDDER ? (await import('../../vectors/select.ts')).resolveEmbedder(undefined) : undefined;
      const result = await c.withStore(async (store) =>
        searchPapers(await searchDepsFor(store, undefined, { mode, setting }), words.join(' '), { limit, offset, sort, mode }),
      );
      if (result.suggestion) c.say(`did you mean: ${result.suggestion}`);
      if (c.json) {
        for (const w of result.warnings) c.say(`note: ${w.message}`);
        return c.emitJson(
          result.hits.map((h) => ({
            id: h.id,
            title: h.title,
            score: h.score,
            snippet: h.snippet.segments.map((s) => s.text).join(''),
            snippetHtml: h.snippet.html,
            titleHtml: h.titleHighlight.html,
            matchedAll: h.matchedAll,
            authors: h.authors,
            authorCount: h.authorCount,
            date: h.date ?? null,
            categories: h.categories,
            upvotes: h.upvotes ?? null,
            organization: h.organization ?? null,
          })),
        );
      }
      printHuman(c, result, !!(process.stderr as { isTTY?: boolean }).isTTY);
    });
};
