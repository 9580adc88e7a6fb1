import { loadConfig } from '../../config/load.ts';
import type { RadarConfig, Task } from '../../config/schema.ts';
import { localDay } from '../../digest/window.ts';
import { authorQuery, categoryQuery, fetchArxivApi, fetchArxivIds } from '../../ingest/http/arxiv-api.ts';
import { enrichPapers } from '../../ingest/http/enrich.ts';
import { daysBack, fetchHfDaily } from '../../ingest/http/hf-daily.ts';
import { harvestOai } from '../../ingest/http/oai.ts';
import { fetchBiorxiv } from '../../ingest/http/biorxiv.ts';
import { enrichFromOpenAlex } from '../../ingest/http/openalex.ts';
import { combineReports, runAfterFetch, summarise, type FetchDeps, type FetchReport } from '../../ingest/http/report.ts';
import { runFetch } from '../../jobs/handlers.ts';
import { httpClientFor } from '../../jobs/runtime.ts';
import { refreshIndexesHook } from '../../vectors/hook.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';

interface FetchOpts {
  config?: string;
  category?: string[];
  from?: string;
  to?: string;
  author?: string;
  ids?: string[];
  query?: string;
  date?: string[];
  days?: string;
  set?: string;
  prefix?: string;
  max?: string;
  limit?: string;
}

export function loadCliConfig(c: CliContext, flag: string | undefined): RadarConfig {
  try {
    return loadConfig({ flag, dbLocation: c.dbLocation }).config;
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new CliError(`--${name}: expected a positive whole number, got "${v}"`, 2);
  return Number(v);
}

function day(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new CliError(`--${name}: expected a day as YYYY-MM-DD, got "${v}"`, 2);
  return v;
}

/**
 * `radar fetch SOURCE`: one online fetch now, with the same code and politeness
 * rules the scheduled jobs use. Progress on stderr; `--json` prints the report.
 */
export const registerFetch: Register = (program, ctx) => {
  program
    .command('fetch')
    .description('fetch papers from an online source: arxiv-new | arxiv-api | arxiv-oai | hf | biorxiv | medrxiv | enrich | openalex')
    .argument(
      '<source>',
      'arxiv-new (daily listing), arxiv-api (query), arxiv-oai (harvest), hf (Daily Papers), biorxiv | medrxiv (postings by day), enrich (complete partial papers), openalex (venue, journal DOI, citations of arXiv papers)',
    )
    .option('--config <path>', 'configuration file (base URLs, User-Agent contact, rate limit)')
    .option('--category <cat...>', 'arXiv categories, e.g. cs.LG cs.CL (arxiv-new, arxiv-api); subject categories for biorxiv/medrxiv, e.g. "cell biology"')
    .option('--from <day>', 'first day, YYYY-MM-DD (arxiv-api submittedDate, arxiv-oai datestamp, biorxiv/medrxiv posting day, openalex listing day)')
    .option('--to <day>', 'last day, YYYY-MM-DD (default: --from for arxiv-api, yesterday for arxiv-oai/biorxiv/medrxiv, today for openalex)')
    .option('--author <name>', 'arxiv-api: papers by this author')
    .option('--ids <id...>', 'arxiv-api: these arXiv ids')
    .option('--query <expr>', 'arxiv-api: a raw search_query expression')
    .option('--date <day...>', 'hf: these days (default: today)')
    .option('--days <n>', 'hf, openalex: the last N days; arxiv-oai, biorxiv, medrxiv: the N days before today when --from is absent')
    .option('--set <spec>', 'arxiv-oai: OAI set, e.g. cs or physics:hep-th')
    .option('--prefix <p>', 'arxiv-oai: metadata format arXiv | arXivRaw (default from config)')
    .option('--max <n>', 'arxiv-api: stop after N records')
    .option('--limit <n>', 'enrich: at most N papers (default 50); openalex: at most N papers (default 500)')
    .action(async (source: string, opts: FetchOpts) => {
      const c = ctx();
      const config = loadCliConfig(c, opts.config);
      if (!config.http.contact && !config.http.userAgent) {
        c.say('note: set http.contact in the configuration (or env RADAR_CONTACT) so arXiv can reach you; it goes into the User-Agent');
      }
      const today = localDay(c.now(), config.timezone);
      const report = await c.withStore(async (store) => {
        const deps: FetchDeps = { client: httpClientFor(config, c.say), store, now: () => c.now(), log: c.say };
        const r = await fetchSource(source, opts, deps, config, today);
        await runAfterFetch(store, r, [refreshIndexesHook()], c.say);
        return r;
      });
      if (c.json) c.emitJson(report);
      c.say(summarise(report));
      for (const p of report.problems.slice(0, 20)) c.say(`  ${p.severity}: ${p.locator}${p.field ? ` [${p.field}]` : ''}: ${p.message}`);
      if (report.problemsTotal > 20) c.say(`  … and ${report.problemsTotal - 20} more problem(s)`);
    });
};

async function fetchSource(source: string, opts: FetchOpts, deps: FetchDeps, config: RadarConfig, today: string): Promise<FetchReport> {
  const api = { baseUrl: config.sources.arxivApi, pageSize: config.sources.apiPageSize };
  const maxResults = opts.max ? int('max', opts.max, 1) : undefined;
  switch (source) {
    case 'arxiv-new': {
      if (!opts.category?.length) throw new CliError('arxiv-new: give --category (e.g. --category cs.LG cs.CL)', 2);
      const task: Task = { type: 'fetch', source: 'arxiv-new', categories: opts.category, days: 1 };
      return runFetch(task, today, deps, config);
    }
    case 'arxiv-api': {
      if (opts.ids?.length) return fetchArxivIds(deps, api, opts.ids);
      const search = opts.query
        ? opts.query
        : opts.author
          ? authorQuery(opts.author)
          : opts.category?.length || opts.from
            ? categoryQuery(opts.category ?? [], day('from', opts.from), day('to', opts.to))
            : undefined;
      if (!search) throw new CliError('arxiv-api: give --category [--from --to], --author, --ids or --query', 2);
      return fetchArxivApi(deps, api, { search, sortBy: 'submittedDate', sortOrder: 'descending', maxResults });
    }
    case 'arxiv-oai': {
      const yesterday = daysBack(today, 2)[0];
      const from = day('from', opts.from) ?? daysBack(today, int('days', opts.days, 1) + 1)[0];
      const until = day('to', opts.to) ?? yesterday;
      const prefix = opts.prefix ?? config.sources.oaiMetadataPrefix;
      if (prefix !== 'arXiv' && prefix !== 'arXivRaw') throw new CliError(`--prefix: expected arXiv or arXivRaw, got "${prefix}"`, 2);
      return harvestOai(deps, { baseUrl: config.sources.arxivOai, metadataPrefix: prefix, set: opts.set, from, until, chunkDays: config.sources.oaiChunkDays });
    }
    case 'hf': {
      const dates = opts.date?.length ? opts.date.map((d) => day('date', d)!) : daysBack(today, int('days', opts.days, 1));
      return fetchHfDaily(deps, { baseUrl: config.sources.huggingFace, dates });
    }
    case 'biorxiv':
    case 'medrxiv': {
      const from = day('from', opts.from) ?? daysBack(today, int('days', opts.days, 1) + 1)[0];
      const to = day('to', opts.to) ?? (opts.from ? from : daysBack(today, 2)[0]);
      const subjects = opts.category?.length ? opts.category : [undefined];
      const reports: FetchReport[] = [];
      for (const category of subjects) {
        try {
          reports.push(await fetchBiorxiv(deps, { baseUrl: config.sources.biorxivApi, server: source, from, to, category }));
        } catch (err) {
          if (/subject category|bad window/.test((err as Error).message)) throw new CliError((err as Error).message, 2);
          throw err;
        }
      }
      return combineReports(source, reports);
    }
    case 'enrich':
      return enrichPapers(deps, { ...api, limit: int('limit', opts.limit, 50) });
    case 'openalex': {
      const to = day('to', opts.to) ?? today;
      const from = day('from', opts.from) ?? daysBack(to, int('days', opts.days, 7))[0];
      return enrichFromOpenAlex(deps, {
        baseUrl: config.sources.openalexApi,
        apiKey: config.sources.openalexKey,
        mailto: config.http.contact,
        from,
        to,
        limit: int('limit', opts.limit, 500),
      });
    }
    default:
      throw new CliError(`unknown source "${source}": use arxiv-new, arxiv-api, arxiv-oai, hf, biorxiv, medrxiv, enrich or openalex`, 2);
  }
}
