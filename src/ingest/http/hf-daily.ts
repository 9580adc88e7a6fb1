/**
 * Hugging Face Daily Papers by date: `GET {base}/api/daily_papers?date=YYYY-MM-DD`,
 * parsed by the HF importer (src/ingest/parsers/hf-daily.ts). Fetching a day
 * again later refreshes its upvotes and comment counts (the store keeps the
 * latest signals), which is why scheduled runs cover the last few days.
 */
import { addDays } from '../../paper/days.ts';
import { parseHfDaily } from '../parsers/hf-daily.ts';
import { addProblems, checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

export function daysBack(today: string, days: number): string[] {
  const out: string[] = [];
  for (let i = days - 1; i >= 0; i--) out.push(addDays(today, -i));
  return out;
}

export async function fetchHfDaily(deps: FetchDeps, opts: { baseUrl: string; dates: string[] }): Promise<FetchReport> {
  const report = emptyReport('hf');
  const perDay: Record<string, number> = {};
  for (const date of opts.dates) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`hf: expected a date as YYYY-MM-DD, got "${date}"`);
    checkAborted(deps);
    const u = new URL('/api/daily_papers', opts.baseUrl.replace(/\/+$/, '') + '/');
    u.searchParams.set('date', date);
    u.searchParams.set('limit', '100');
    const url = u.toString();
    const res = await deps.client.getText(url, { accept: 'application/json' });
    report.requests++;
    const now = deps.now();
    const parsed = parseHfDaily(res.text, { name: url, seenAt: now.toISOString(), today: now.toISOString().slice(0, 10) });
    // A body that is not JSON at all (an HTML error page with status 200, a cut-off response) fails the run, so it is retried.
    if (!parsed.records.length && parsed.problems.some((p) => p.severity === 'error' && !p.field)) {
      throw new Error(`hf: ${url} did not return the daily papers list: ${parsed.problems[0].message}`);
    }
    addProblems(report, parsed.problems);
    await storePage(deps, report, parsed.records);
    perDay[date] = parsed.records.length;
    deps.log?.(`hf ${date}: ${parsed.records.length} paper(s)`);
  }
  report.notes.perDay = perDay;
  return report;
}
