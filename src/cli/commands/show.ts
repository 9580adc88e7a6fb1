import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';

export const registerShow: Register = (program, ctx) => {
  program
    .command('show')
    .description('one paper: its merged record and where each part came from')
    .argument('<id>', 'arxiv:2510.05069, 2510.05069v2, an arXiv URL, doi:…, or any id the paper was known under')
    .action(async (id: string) => {
      const c = ctx();
      const result = await c.withStore(async (s) => {
        const paper = await s.papers.getPaper(id);
        return paper ? { paper, provenance: await s.papers.provenance(paper.pk) } : undefined;
      });
      if (!result) throw new CliError(`no paper with id "${id}" in ${c.dbLocation}`, 2);
      const { pk: _pk, seq: _seq, ...paper } = result.paper;
      if (c.json) return c.emitJson({ ...paper, provenance: result.provenance });
      c.say(`${paper.id}  ${paper.title || '(title unknown)'}`);
      const authors = paper.authors.length
        ? paper.authors.join(', ') + (paper.authorsComplete ? '' : ' et al.')
        : paper.authorCount
          ? `${paper.authorCount} authors`
          : 'authors unknown';
      c.say(`  ${authors}`);
      const facts = [paper.listingDate, paper.categories.join(' '), paper.venue].filter(Boolean).join(' · ');
      if (facts) c.say(`  ${facts}`);
      if (paper.signals.upvotes !== undefined) c.say(`  ${paper.signals.upvotes} upvotes${paper.signals.organization ? ` · ${paper.signals.organization}` : ''}`);
      if (paper.abstract) c.say(`\n${paper.abstract}${paper.abstractTruncated ? ' …' : ''}\n`);
      for (const p of result.provenance) c.say(`  from ${p.source.kind} ${p.source.locator} at ${p.source.seenAt}`);
    });
};
