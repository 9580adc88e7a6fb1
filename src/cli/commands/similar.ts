import { similarPapers, SIMILAR_DEFAULTS, type SimilarMode } from '../../rank/similar.ts';
import { openRetrieval } from '../../vectors/retrieval.ts';
import { resolveEmbedder } from '../../vectors/select.ts';
import { limitRule, oneOf, readOption } from '../../config/options.ts';
import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';

const MODES: readonly SimilarMode[] = ['default', 'tfidf', 'dense'];

export const registerSimilar: Register = (program, ctx) => {
  program
    .command('similar')
    .description('papers similar to a paper (TF-IDF with feedback + the dense model), best first')
    .argument('<id>', 'any id the paper is known under: arxiv:2510.05069, 2510.05069, doi:…, title:…')
    .option('--limit <n>', 'how many (default 10)')
    .option('--mode <mode>', `default | tfidf | dense (default: default)`)
    .option('--embedder <spec>', 'dense model for query texts when the stored vectors are external (see src/vectors/select.ts; default RADAR_EMBEDDER, else the spec stored with the vectors)')
    .action(async (id: string, o: { limit?: string; mode?: string; embedder?: string }) => {
      const c = ctx();
      const limit = readOption('--limit', limitRule(1000), o.limit, SIMILAR_DEFAULTS.limit);
      const mode = readOption('--mode', oneOf(MODES), o.mode, 'default');
      let setting;
      try {
        setting = resolveEmbedder(o.embedder);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      const out = await c.withStore(async (store) => {
        const r = await openRetrieval(store, { setting });
        return { res: await similarPapers(store, r, id, { limit, mode }), papers: r.papers, dense: r.dense?.state.embedder };
      });
      if (!out.res) throw new CliError(`no paper with id "${id}" in ${c.dbLocation}`, 2);
      const { query, results, indexed } = out.res;
      if (!indexed) c.say(`note: ${query.id} is not in the indexes yet; \`radar doctor\` brings them up to date`);
      if (c.json) {
        return c.emitJson(
          results.map(({ paper, score }) => ({
            id: paper.id,
            title: paper.title,
            score: Math.round(score * 10000) / 10000,
            authors: paper.authors,
            listingDate: paper.listingDate ?? null,
            categories: paper.categories,
          })),
        );
      }
      c.say(`similar to ${query.id}  ${query.title}`);
      c.say(`(${out.papers} papers indexed; dense model: ${out.dense ?? 'none yet'})`);
      results.forEach(({ paper, score }, i) => c.say(`${String(i + 1).padStart(3)}. ${score.toFixed(3)}  ${paper.id}  ${paper.title}`));
    });
};
