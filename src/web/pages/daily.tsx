/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The home page: daily papers by day, week or month, with previous/next navigation and sorts. */
import type { Listing, ListingView } from '../../app/listing.ts';
import type { LabView } from '../../app/lab.ts';
import type { StoredPaper } from '../../store/types.ts';
import { LabBlock } from './lab.tsx';
import { longDate, monthName, NoPapersYet, PaperCard, Pager, qs, shortDate, spanTitle, type CardPaper } from '../components.tsx';

export type DailySort = 'trending' | 'date' | 'upvotes' | 'forme';

export interface DailyProps {
  listing: Listing;
  sort: DailySort;
  category?: string;
  /** Profiles for the "for me" sort, and the one chosen. */
  profiles: string[];
  profile?: string;
  /** "For me": this page of the period's papers ranked for the profile (replaces listing.papers). */
  forMe?: ForMe;
  pageSize: number;
  offset: number;
  empty: boolean;
  /** The store has papers, but none with a date (e.g. only a BibTeX library): how many, and a few of them. */
  undated?: { count: number; some: StoredPaper[] };
  /** "Popular in your lab" (absent on a single-user instance, or when nothing was liked or saved lately). */
  lab?: LabView;
}

export interface ForMe {
  items: { paper: CardPaper; reasons: { text: string }[]; score: number }[];
  /** Ranked papers in the period (and category), across pages. */
  total: number;
  /** The period's papers the profile does not rank: its own, seen or dismissed, excluded by its rules. */
  hidden: number;
}

function periodTitle(l: Listing): string {
  if (!l.from || !l.to || !l.day) return '';
  if (l.view === 'day') return longDate(l.day);
  if (l.view === 'week') return spanTitle(l.from, l.to);
  return monthName(l.from);
}

function periodLabel(view: ListingView, from: string): string {
  return view === 'day' ? shortDate(from) : view === 'week' ? `week of ${shortDate(from)}` : monthName(from);
}

/** Papers but no dates: there is no day to show, so say what there is and where to find it. */
function OnlyUndated({ count, some }: { count: number; some: StoredPaper[] }) {
  const n = count.toLocaleString('en-US');
  return (
    <>
      <section class="panel empty" aria-labelledby="empty-title">
        <h2 id="empty-title">No dated papers to list by day</h2>
        <p>
          The database has {n} {count === 1 ? 'paper' : 'papers'}, none with an announcement date (a BibTeX or CSL-JSON library usually
          gives a year, not a day), so there is no day to list {count === 1 ? 'it' : 'them'} under. {count === 1 ? 'It is' : 'They are all'}{' '}
          searchable.
        </p>
        <ul>
          <li>
            <a href="/search">Search {count === 1 ? 'it' : `the ${n} papers`}</a>, and open one to see similar papers.
          </li>
          <li>
            <a href="/profiles#create">Create a profile</a> from your own papers: its feed ranks the papers you add next.
          </li>
          <li>
            For daily papers, <a href="/import">import</a> an arXiv listing, metadata snapshot or Hugging Face Daily Papers page, or run{' '}
            <code>npx radar fetch arxiv-new --category cs.LG</code> when online.
          </li>
        </ul>
        <p class="row">
          <a class="btn primary" href="/search">
            Search papers
          </a>
          <a class="btn" href="/import">
            Import papers
          </a>
        </p>
      </section>
      {some.length > 0 && (
        <section aria-labelledby="undated-h">
          <h2 id="undated-h" class="section-title">
            {some.length < count ? `${some.length} of the ${n} undated papers` : 'The undated papers'}
          </h2>
          <ol class="cards" data-nav-list>
            {some.map((paper) => (
              <PaperCard paper={paper} level={3} />
            ))}
          </ol>
        </section>
      )}
    </>
  );
}

export function DailyPage(p: DailyProps) {
  const l = p.listing;
  if (p.empty || p.undated) {
    return (
      <>
        <div class="page-head">
          <h1>Daily papers</h1>
        </div>
        {p.undated ? <OnlyUndated {...p.undated} /> : <NoPapersYet />}
      </>
    );
  }
  const base = { view: l.view === 'day' ? undefined : l.view, sort: p.sort === 'trending' ? undefined : p.sort, category: p.category, profile: p.sort === 'forme' ? p.profile : undefined };
  const link = (extra: Record<string, string | number | undefined>) => `/${qs({ ...base, ...extra })}`;
  const total = p.forMe ? p.forMe.total : l.total;
  const shownCount = p.forMe ? p.forMe.items.length : l.papers.length;
  const votes = (p.forMe ? p.forMe.items.map((x) => x.paper) : l.papers).some((x) => x.signals.upvotes !== undefined);
  const shownFrom = shownCount ? p.offset + 1 : 0;
  const shownTo = Math.min(total, p.offset + shownCount);
  const range = `${shownFrom.toLocaleString('en-US')}–${shownTo.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{periodTitle(l)}</h1>
          <div class="sub">
            Daily papers · {l.total.toLocaleString('en-US')} {l.total === 1 ? 'paper' : 'papers'}
            {p.category ? ` in ${p.category}` : ''}
            {p.category && (
              <>
                {' '}
                · <a href={`/${qs({ ...base, category: undefined, day: l.day })}`}>all categories</a>
              </>
            )}
          </div>
        </div>
        <div class="spacer" />
        <nav class="segmented" aria-label="Period">
          {(['day', 'week', 'month'] as const).map((v) => (
            <a href={link({ day: l.day, view: v === 'day' ? undefined : v })} aria-current={l.view === v ? 'true' : undefined}>
              {v[0].toUpperCase() + v.slice(1)}
            </a>
          ))}
        </nav>
      </div>

      <LabBlock lab={p.lab} />

      <div class="toolbar">
        <nav class="period-nav" aria-label="Previous and next">
          {l.prev ? (
            <a class="btn" href={link({ day: l.prev.from })} rel="prev" data-key="ArrowLeft">
              ← {periodLabel(l.view, l.prev.from)}
            </a>
          ) : (
            <span class="btn" aria-disabled="true">
              ← earliest
            </span>
          )}
          {l.next ? (
            <a class="btn" href={link({ day: l.next.from })} rel="next" data-key="ArrowRight">
              {periodLabel(l.view, l.next.from)} →
            </a>
          ) : (
            <span class="btn" aria-disabled="true">
              latest
            </span>
          )}
        </nav>
        <div class="spacer" />
        <form class="row" method="get" action="/" data-autosubmit>
          <input type="hidden" name="day" value={l.day} />
          {l.view !== 'day' && <input type="hidden" name="view" value={l.view} />}
          {p.category && <input type="hidden" name="category" value={p.category} />}
          <label for="sort">Sort</label>
          <select id="sort" name="sort">
            <option value="trending" selected={p.sort === 'trending'}>
              Trending
            </option>
            <option value="date" selected={p.sort === 'date'}>
              Newest
            </option>
            <option value="upvotes" selected={p.sort === 'upvotes'}>
              Most upvoted
            </option>
            {p.profiles.length > 0 && (
              <option value="forme" selected={p.sort === 'forme'}>
                For me
              </option>
            )}
          </select>
          {p.profiles.length > 0 && (
            <>
              <label for="profile" class={p.sort === 'forme' ? '' : 'visually-hidden'}>
                Profile
              </label>
              <select id="profile" name="profile" hidden={p.sort !== 'forme'} data-show-when-sort="forme">
                {p.profiles.map((name) => (
                  <option value={name} selected={name === p.profile}>
                    {name}
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="submit" class="btn small nojs-only">
            Apply
          </button>
        </form>
      </div>

      {l.view !== 'day' && l.days.length > 1 && (
        <nav class="day-strip" aria-label="Days in this period">
          {[...l.days].reverse().map((d) => (
            // The count is a badge beside the date, read as "8 Apr, 12 papers" (not "8 Apr 12").
            <a href={link({ day: d.day, view: undefined })} title={`${d.count.toLocaleString('en-US')} ${d.count === 1 ? 'paper' : 'papers'} on ${shortDate(d.day)}`}>
              {shortDate(d.day).replace(/ \d{4}$/, '')}
              <span class="visually-hidden">, </span>
              <span class="n">{d.count.toLocaleString('en-US')}</span>
              <span class="visually-hidden">{d.count === 1 ? ' paper' : ' papers'}</span>
            </a>
          ))}
        </nav>
      )}

      {p.forMe && p.forMe.hidden > 0 && (
        <div class="notice info">
          {p.forMe.hidden.toLocaleString('en-US')} {p.forMe.hidden === 1 ? 'paper' : 'papers'} of this period {p.forMe.hidden === 1 ? 'is' : 'are'} not
          ranked for {p.profile}: the profile’s own papers, papers already seen or dismissed, excluded by its rules, or not indexed yet.
        </div>
      )}
      {shownCount > 0 && (
        <p class="count-line">
          Showing {range}
          {p.forMe && ` ranked for ${p.profile}`}
        </p>
      )}
      {total === 0 && <div class="panel muted">No papers{p.category ? ` in ${p.category}` : ''} in this period{p.forMe ? ` for ${p.profile} to rank` : ''}.</div>}
      {total > 0 && shownCount === 0 && (
        <div class="panel muted">
          No papers on this page. <a href={link({ day: l.day })}>Back to the first page</a>
        </div>
      )}

      <ol class="cards" data-nav-list>
        {p.forMe
          ? p.forMe.items.map((it) => (
              <PaperCard paper={it.paper} votesColumn={votes}>
                {it.reasons.length > 0 && (
                  <ul class="reasons" aria-label="Why it is here">
                    {it.reasons.slice(0, 3).map((r) => (
                      <li>{r.text}</li>
                    ))}
                  </ul>
                )}
              </PaperCard>
            ))
          : l.papers.map((paper: StoredPaper) => <PaperCard paper={paper} votesColumn={votes} />)}
      </ol>

      <Pager offset={p.offset} pageSize={p.pageSize} shown={shownCount} total={total} href={(offset) => link({ day: l.day, offset: offset || undefined })} />
    </>
  );
}
