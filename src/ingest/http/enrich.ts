/**
 * Completing papers the store knows only in part — no title (abstract blocks
 * pasted without titles), or a truncated abstract (listing snippets) — from
 * the arXiv API when online.
 *
 * By id when the paper has an arXiv id. Otherwise by search: the title as a
 * phrase (`ti:"…"`), or, with no title, the opening words of the abstract
 * (`abs:"…"`). A search hit is accepted only when it is certainly the same
 * paper (see `sameTitle`/`abstractContinues`): a wrong merge would corrupt the
 * stored paper and cannot be undone, a missed one costs nothing (the paper is
 * tried again a week later). An accepted hit is stored together with a small
 * "bridge" record that carries the stored paper's own title/abstract keys plus
 * the arXiv id, so the store joins the hit to that paper instead of adding a
 * new one.
 */
import type { PaperRecord } from '../../paper/types.ts';
import { foldText } from '../../paper/normalise.ts';
import type { StoredPaper } from '../../store/types.ts';
import { phrase, queryPages, type ApiOptions } from './arxiv-api.ts';
import { checkAborted, emptyReport, storePage, type FetchDeps, type FetchReport } from './report.ts';

/** Words of a folded title, minus the shortest ones that vary between versions ("a", "of"). */
function titleWords(t: string): string[] {
  return foldText(t).split(' ').filter((w) => w.length > 2);
}

/**
 * Same paper by title: equal after folding (case, punctuation, LaTeX, accents),
 * or nearly so — at least 90% word overlap both ways (Jaccard ≥ 0.9) and at
 * least 4 words, which allows a changed article or a fixed typo between versions
 * but not two papers sharing most of a short title.
 */
export function sameTitle(a: string, b: string): boolean {
  const fa = foldText(a);
  const fb = foldText(b);
  if (!fa || !fb) return false;
  if (fa === fb) return true;
  const wa = new Set(titleWords(a));
  const wb = new Set(titleWords(b));
  if (wa.size < 4 || wb.size < 4) return false;
  let inter = 0;
  for (const w of wa) if (wb.has(w)) inter++;
  return inter / (wa.size + wb.size - inter) >= 0.9;
}

/**
 * The full abstract continues the snippet: the snippet's folded words (its
 * last, possibly cut, word dropped) are the opening of the full abstract's.
 * At least 12 words, so generic openings cannot match by chance.
 */
export function abstractContinues(snippet: string, full: string): boolean {
  const s = foldText(snippet.replace(/(\.\.\.|…)\s*$/, '')).split(' ').filter(Boolean);
  const f = foldText(full).split(' ').filter(Boolean);
  const words = s.slice(0, -1);
  if (words.length < 12 || words.length > f.length) return false;
  return words.every((w, i) => f[i] === w);
}

/** Whether a search hit is the stored paper. */
export function isSamePaper(stored: Pick<StoredPaper, 'title' | 'abstract'>, hit: PaperRecord): boolean {
  if (!hit.title) return false;
  if (stored.title) {
    if (!sameTitle(stored.title, hit.title)) return false;
    // With both abstracts known, they must agree too (a title can be reused, e.g. "Attention is all you need" sequels).
    if (stored.abstract && hit.abstract && foldText(stored.abstract).split(' ').length >= 12) return abstractContinues(stored.abstract, hit.abstract);
    return true;
  }
  return !!stored.abstract && !!hit.abstract && abstractContinues(stored.abstract, hit.abstract);
}

function abstractPhrase(abstract: string): string {
  return foldText(abstract).split(' ').filter(Boolean).slice(0, 12).join(' ');
}

export interface EnrichOutcome {
  id: string;
  result: 'completed' | 'no-match' | 'not-found';
  arxivId?: string;
}

export async function enrichPapers(
  deps: FetchDeps,
  opts: ApiOptions & { limit: number; /** Do not try a paper again within this many days. */ retryDays?: number },
): Promise<FetchReport & { outcomes: EnrichOutcome[] }> {
  const report = emptyReport('enrich');
  const now = deps.now();
  const triedBefore = new Date(now.getTime() - (opts.retryDays ?? 7) * 86_400_000).toISOString();
  const pks = await deps.store.jobs.incompletePapers({ limit: opts.limit, triedBefore });
  const papers = await deps.store.papers.getPapersByPk(pks);
  const outcomes: EnrichOutcome[] = [];
  const note = async (p: StoredPaper, o: EnrichOutcome) => {
    outcomes.push(o);
    await deps.store.jobs.noteEnrichAttempt(p.pk, deps.now().toISOString(), o.result);
  };

  // Papers with an arXiv id: one id_list query per chunk.
  const byId = papers.filter((p) => p.arxivId);
  for (let i = 0; i < byId.length; i += 50) {
    checkAborted(deps);
    const chunk = byId.slice(i, i + 50);
    const found = new Map<string, PaperRecord>();
    await queryPages(deps, opts, { ids: chunk.map((p) => p.arxivId!) }, report, async (records) => {
      for (const r of records) if (r.arxivId) found.set(r.arxivId, r);
    });
    await storePage(deps, report, [...found.values()]);
    for (const p of chunk) await note(p, found.has(p.arxivId!) ? { id: p.id, result: 'completed', arxivId: p.arxivId } : { id: p.id, result: 'not-found' });
  }

  // Papers without one: search, then accept only a certain match.
  for (const p of papers.filter((x) => !x.arxivId)) {
    checkAborted(deps);
    const search = p.title ? phrase('ti', p.title) : p.abstract ? phrase('abs', abstractPhrase(p.abstract)) : undefined;
    if (!search) {
      await note(p, { id: p.id, result: 'not-found' });
      continue;
    }
    const hits: PaperRecord[] = [];
    await queryPages(deps, opts, { search, maxResults: 5 }, report, async (records) => void hits.push(...records));
    const match = hits.find((h) => h.arxivId && isSamePaper(p, h));
    if (!match) {
      await note(p, { id: p.id, result: hits.length ? 'no-match' : 'not-found' });
      deps.log?.(`enrich: ${p.id}: ${hits.length} hit(s), none certainly the same paper`);
      continue;
    }
    const bridge: PaperRecord = {
      arxivId: match.arxivId,
      title: p.title || undefined,
      abstract: p.abstract || undefined,
      abstractTruncated: p.abstractTruncated || undefined,
      source: { kind: 'arxiv-api', locator: `${match.source.locator}#matched:${p.id}`, seenAt: match.source.seenAt },
    };
    await storePage(deps, report, [bridge, match]);
    await note(p, { id: p.id, result: 'completed', arxivId: match.arxivId });
    deps.log?.(`enrich: ${p.id} is arXiv:${match.arxivId} (${match.title})`);
  }
  report.notes.completed = outcomes.filter((o) => o.result === 'completed').length;
  report.notes.unmatched = outcomes.length - (report.notes.completed as number);
  return Object.assign(report, { outcomes });
}
