/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The home page: daily papers by day, week or month, with previous/next navigation and sorts. */
import type { Listing, ListingView } from '../../server/services/listing.ts';
import type { StoredPaper } from '../../store/types.ts';
import { longDate, monthName, NoPapersYet, PaperCard, qs, shortDate, spanTitle, type CardPaper } from '../components.tsx';

export type DailySort = 'trending' | 'date' | 'upvotes' | 'forme';

export interface DailyProps {
  listing: Listing;
  sort: DailySort;
  category?: string;
  /** Profiles for the "for me" sort, and the one chosen. */
  profiles: string[];
  profile?: string;
  /** "For me": the ranked papers with their reasons (replaces listing.papers). */
  forMe?: { paper: CardPaper; reasons: { text: string }[]; score: number }[];
  forMeError?: string;
  pageSize: number;
  offset: number;
  empty: boolean;
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

export function DailyPage(p: DailyProps) {
  const l = p.listing;
  if (p.empty) {
    return (
      <>
        <div class="page-head">
          <h1>Daily papers</h1>
        </div>
        <NoPapersYet />
      </>
    );
  }
  const base = { view: l.view === 'day' ? undefined : l.view, sort: p.sort === 'trending' ? undefined : p.sort, category: p.category, profile: p.sort === 'forme' ? p.profile : undefined };
  const link = (extra: Record<string, string | number | undefined>) => `/${qs({ ...base, ...extra })}`;
  const total = p.forMe ? p.forMe.length : l.total;
  const votes = (p.forMe ? p.forMe.map((x) => x.paper) : l.papers).some((x) => x.signals.upvotes !== undefined);
  const shownFrom = total ? p.offset + 1 : 0;
  const shownTo = p.forMe ? total : Math.min(l.total, p.offset + l.papers.length);
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
            <a href={link({ day: d.day, view: undefined })}>
              {shortDate(d.day).replace(/ \d{4}$/, '')}
              <span class="n">{d.count}</span>
            </a>
          ))}
        </nav>
      )}

      {p.forMeError && <div class="notice warn">{p.forMeError}</div>}
      {total > 0 && (
        <p class="count-line">
          {p.forMe
            ? `${total} papers ranked for ${p.profile}`
            : `Showing ${shownFrom.toLocaleString('en-US')}–${shownTo.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`}
        </p>
      )}
      {total === 0 && <div class="panel muted">No papers{p.category ? ` in ${p.category}` : ''} in this period.</div>}

      <ol class="cards" data-nav-list>
        {p.forMe
          ? p.forMe.map((it) => (
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

      {!p.forMe && (p.offset > 0 || shownTo < l.total) && (
        <nav class="more-link row" aria-label="Pages">
          {p.offset > 0 && (
            <a class="btn" href={link({ day: l.day, offset: Math.max(0, p.offset - p.pageSize) || undefined })}>
              ← Previous {p.pageSize}
            </a>
          )}
          {shownTo < l.total && (
            <a class="btn" href={link({ day: l.day, offset: p.offset + p.pageSize })}>
              Next {Math.min(p.pageSize, l.total - shownTo)} →
            </a>
          )}
        </nav>
      )}
    </>
  );
}
