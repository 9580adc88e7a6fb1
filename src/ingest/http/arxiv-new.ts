/**
 * Fetches arXiv's daily new-submissions listing for each category (one RSS
 * request per category; see arxiv-rss.ts for why RSS) and stores the papers.
 * A cross-listed paper appears under several categories; the store merges it.
 */
import { parseArxivRss } from './arxiv-rss.ts';
import { addProblems, checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

export async function fetchArxivNew(deps: FetchDeps, opts: { baseUrl: string; categories: string[] }): Promise<FetchReport> {
  if (!opts.categories.length) throw new Error('arxiv-new: no categories given (e.g. cs.LG)');
  const report = emptyReport('arxiv-new');
  const days: Record<string, string | undefined> = {};
  for (const category of opts.categories) {
    checkAborted(deps);
    const url = `${opts.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(category)}`;
    const res = await deps.client.getText(url, { accept: 'application/rss+xml, application/xml;q=0.9' });
    report.requests++;
    const parsed = parseArxivRss(res.text, { name: url, seenAt: deps.now().toISOString() });
    addProblems(report, parsed.problems);
    await storePage(deps, report, parsed.records);
    days[category] = parsed.day;
    deps.log?.(`arxiv-new ${category}: ${parsed.records.length} item(s) for ${parsed.day ?? 'unknown day'} ${JSON.stringify(parsed.types)}`);
  }
  report.notes.days = days;
  return report;
}
