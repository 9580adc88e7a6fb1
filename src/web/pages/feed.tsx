/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** A profile's ranked feed with reasons, and buttons (and keys) that act at once. */
import type { Feed } from '../../profile/feed.ts';
import type { Paper } from '../../paper/types.ts';
import { NoPapersYet, Pager, PaperCard, paperHref, qs, shortDate, TldrLine, type CardPaper } from '../components.tsx';

/** How far down the feed page ranks a window unless asked for more (pages of PAGE_SIZE). */
export const DEFAULT_FEED_DEPTH = 150;
/** The deepest ranking the page offers: past it, narrow the window or raise the cut-off. */
export const MAX_FEED_DEPTH = 1200;

export interface FeedPageProps {
  /** Machine-generated TL;DRs by paper id (when configured and cached). */
  tldrs?: Map<string, string>;
  profiles: string[];
  profile?: string;
  span: string;
  feed?: Feed;
  /** Feedback already given, by paper id (buttons show pressed). */
  pressed: Map<string, string[]>;
  noPapers: boolean;
  /** Paging through the feed's ranking. */
  offset: number;
  pageSize: number;
  /** How many papers the ranking keeps, and the next depth to offer when it cut some (absent: no more). */
  depth: number;
  moreDepth?: number;
}

export function itemPaper(it: Feed['items'][number]): CardPaper {
  return {
    id: it.id,
    title: it.title,
    abstract: it.abstract,
    abstractTruncated: false,
    authors: it.authors,
    authorsComplete: true,
    authorCount: it.authorCount,
    categories: it.categories,
    listingDate: it.date,
    signals: { upvotes: it.upvotes, organization: it.organization },
    links: it.links,
  } satisfies Partial<Paper> as CardPaper;
}

export function FeedbackButtons({ profile, id, pressed, title }: { profile: string; id: string; pressed: string[]; title: string }) {
  const action = `${paperHref(id)}/feedback`;
  return (
    <div class="actions" data-feedback-buttons data-profile={profile} data-id={id}>
      {(
        [
          ['like', 'Like', 'l'],
          ['save', 'Save', 's'],
          ['dismiss', 'Dismiss', 'd'],
        ] as const
      ).map(([a, label, key]) => (
        <form class="inline-form" method="post" action={action}>
          <input type="hidden" name="profile" value={profile} />
          <input type="hidden" name="action" value={a} />
          <input type="hidden" name="back" value="feed" />
          <button class={`btn small${a === 'dismiss' ? ' ghost' : ''}`} type="submit" data-action={a} aria-pressed={pressed.includes(a) ? 'true' : 'false'} aria-keyshortcuts={key} aria-label={`${label}: ${title}`}>
            {label}
          </button>
        </form>
      ))}
    </div>
  );
}

export function FeedPage(p: FeedPageProps) {
  if (!p.profiles.length) {
    return (
      <>
        <div class="page-head">
          <h1>For you</h1>
        </div>
        {p.noPapers && <NoPapersYet />}
        <section class="panel empty">
          <h2>No profile yet</h2>
          <p>
            A profile is built from your own papers: paste your publication list, upload a BibTeX or CSL-JSON export, give arXiv ids or
            your author name. Paper Radar then ranks each day’s papers for you and says why.
          </p>
          <p>
            <a class="btn primary" href="/profiles#create">
              Create a profile
            </a>
          </p>
        </section>
      </>
    );
  }
  const f = p.feed;
  const shown = f ? f.items.slice(p.offset, p.offset + p.pageSize) : [];
  const votes = shown.some((x) => x.upvotes !== undefined);
  const page = (offset: number, depth = p.depth) =>
    `/feed${qs({ profile: p.profile, since: p.span === '7d' ? undefined : p.span, depth: depth === DEFAULT_FEED_DEPTH ? undefined : depth, offset: offset || undefined })}`;
  const lastPage = f !== undefined && shown.length > 0 && p.offset + shown.length >= f.items.length;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>For {p.profile}</h1>
          {f && (
            <div class="sub">
              {p.span === 'all' ? 'All papers' : `Papers since ${shortDate(f.from)}`} ranked for {p.profile} ·{' '}
              <a href={`/profiles/${encodeURIComponent(p.profile!)}`}>edit profile</a>
            </div>
          )}
        </div>
      </div>
      <form class="toolbar" method="get" action="/feed" data-autosubmit>
        <label for="feed-profile">Profile</label>
        <select id="feed-profile" name="profile">
          {p.profiles.map((n) => (
            <option value={n} selected={n === p.profile}>
              {n}
            </option>
          ))}
        </select>
        <label for="feed-span">Window</label>
        <select id="feed-span" name="since">
          {[
            ['1d', 'Latest day'],
            ['3d', '3 days'],
            ['7d', '7 days'],
            ['30d', '30 days'],
            ['90d', '90 days'],
            ['365d', 'A year'],
            ['all', 'Everything'],
          ].map(([v, label]) => (
            <option value={v} selected={v === p.span}>
              {label}
            </option>
          ))}
        </select>
        <button class="btn small nojs-only" type="submit">
          Show
        </button>
        <span class="spacer" />
        <span class="muted small hide-narrow">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>l</kbd> like · <kbd>s</kbd> save · <kbd>d</kbd> dismiss
        </span>
      </form>
      {f && (
        <p class="count-line">
          {f.items.length > p.pageSize && shown.length > 0 && `Showing ${p.offset + 1}–${p.offset + shown.length} · `}
          {f.stats.candidates.toLocaleString('en-US')} papers listed {f.from === f.to ? f.from : `${f.from} – ${f.to}`} ({f.days} day{f.days === 1 ? '' : 's'}):{' '}
          {f.stats.aboveCutoff.toLocaleString('en-US')} above the relevance cut-off
          {f.stats.cut > 0 ? ` (the best ${f.items.length.toLocaleString('en-US')} are listed, ${f.stats.cut.toLocaleString('en-US')} more were cut)` : ''}
          {f.stats.belowCutoff > 0 && ` · ${f.stats.belowCutoff.toLocaleString('en-US')} below it`}
          {f.stats.hidden > 0 && ` · ${f.stats.hidden.toLocaleString('en-US')} hidden (yours, or already seen/dismissed)`}
          {f.stats.excludedByRules > 0 && ` · ${f.stats.excludedByRules.toLocaleString('en-US')} excluded by rules`}
          {f.stats.unrepresented > 0 && ` · ${f.stats.unrepresented.toLocaleString('en-US')} not indexed yet`}
          {f.stats.coldStart && ' · few papers in the profile yet: ranked by closeness to them'}
        </p>
      )}
      {f && f.items.length === 0 && (
        <div class="panel empty">
          <h2>Nothing for {p.profile} in this window</h2>
          <p class="muted">
            {f.stats.candidates === 0
              ? 'No papers were announced in this window. Import or fetch newer papers, or widen the window.'
              : 'No paper came close enough to the profile. Widen the window, add papers to the profile, or lower its cut-off.'}
          </p>
          <p>
            <a href={`/feed${qs({ profile: p.profile, since: '30d' })}`}>Show 30 days</a>
          </p>
        </div>
      )}
      {f && f.items.length > 0 && shown.length === 0 && (
        <div class="panel muted">
          No more papers: the feed keeps the {f.items.length} best. <a href={page(0)}>Back to the first page</a>
        </div>
      )}
      {shown.length > 0 && (
        <ol class="cards" data-nav-list data-profile={p.profile}>
          {shown.map((it) => (
            <PaperCard paper={itemPaper(it)} votesColumn={votes} extraMeta={<span class="score" title="relevance score">score {it.score.toFixed(2)}</span>}>
              <TldrLine text={p.tldrs?.get(it.id)} />
              {it.reasons.length > 0 && (
                <ul class="reasons" aria-label="Why it is here">
                  {it.reasons.slice(0, 3).map((r) => (
                    <li>{r.text}</li>
                  ))}
                </ul>
              )}
              <FeedbackButtons profile={p.profile!} id={it.id} pressed={p.pressed.get(it.id) ?? []} title={it.title} />
            </PaperCard>
          ))}
        </ol>
      )}
      {f && <Pager offset={p.offset} pageSize={p.pageSize} shown={shown.length} total={f.items.length} href={page} />}
      {f && lastPage && f.stats.cut > 0 && (
        <p class="more-link row" data-feed-cut>
          <span class="muted">
            The list stops at the best {f.items.length.toLocaleString('en-US')}; {f.stats.cut.toLocaleString('en-US')} more above the cut-off were left out.
          </span>
          {p.moreDepth && (
            <a class="btn" href={page(f.items.length, p.moreDepth)}>
              Show more
            </a>
          )}
        </p>
      )}
    </>
  );
}
