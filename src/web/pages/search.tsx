/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Search: results as you type, highlighted snippets, filters as controls, everything in the URL. */
import type { SearchHit, SearchResult } from '../../rank/search.ts';
import type { SearchParams } from '../../app/search.ts';
import { PaperCard, qs, type CardPaper } from '../components.tsx';
import { MarkedMath } from '../math.tsx';

function hitPaper(h: SearchHit): CardPaper {
  return {
    id: h.id,
    title: h.title,
    abstract: '',
    abstractTruncated: false,
    authors: h.authors,
    authorsComplete: h.authorsComplete,
    authorCount: h.authorCount,
    categories: h.categories,
    listingDate: h.date,
    signals: { upvotes: h.upvotes, organization: h.organization },
    links: {},
  };
}

const EXAMPLES = ['"neural collapse"', 'grok* -llm', 'latent reasoning author:"Dayou Yang"', 'diffusion cat:cs.CV year:2025', 'test-time compute sort:date'];

export function SearchResults({ params, result, text, ms, suggestion }: { params: SearchParams; result?: SearchResult; text: string; ms: number; suggestion?: string }) {
  if (!text) {
    return (
      <section class="panel" aria-label="Search tips">
        <p>Type to search titles, abstracts and authors. Results update as you type.</p>
        <p class="small muted">
          Try{' '}
          {EXAMPLES.map((e, i) => (
            <>
              {i > 0 && ' · '}
              <a href={`/search${qs({ q: e })}`}>{e}</a>
            </>
          ))}
        </p>
      </section>
    );
  }
  const r = result!;
  const page = (offset: number) => `/search${qs({ ...params, offset: offset || undefined })}`;
  const votes = r.hits.some((h) => h.upvotes !== undefined);
  return (
    <>
      {suggestion && (
        <p class="did-you-mean">
          Did you mean <a href={`/search${qs({ ...params, q: suggestion, offset: undefined })}`}>{suggestion}</a>?
        </p>
      )}
      {r.warnings.map((w) => (
        <div class="notice warn">{w.message}</div>
      ))}
      {r.total > 0 && (
        <p class="count-line">
          {r.totalExact ? '' : 'about '}
          {r.total.toLocaleString('en-US')} {r.total === 1 ? 'paper' : 'papers'} for <code>{r.query.understood}</code>
          {r.query.sort !== 'relevance' && ` · by ${r.query.sort === 'date' ? 'date' : 'upvotes'}`} · {Math.max(1, Math.round(ms))} ms
        </p>
      )}
      {r.hits.length === 0 && r.warnings.length === 0 && (
        <div class="panel">
          <p>
            No papers match <code>{r.query.understood || text}</code>.
          </p>
          <p class="muted small">Fewer words, a prefix (grok*), or removing a filter may help.</p>
        </div>
      )}
      {r.hits.length > 0 && (
        <ol class="cards" data-nav-list>
          {r.hits.map((h) => (
            <PaperCard
              paper={hitPaper(h)}
              votesColumn={votes}
              titleNode={<MarkedMath segments={h.titleHighlight.segments} />}
              summary={
                <div class="abstract">
                  <MarkedMath segments={h.snippet.segments} />
                </div>
              }
            />
          ))}
        </ol>
      )}
      {(r.offset > 0 || r.offset + r.hits.length < r.total) && (
        <nav class="more-link row" aria-label="Result pages">
          {r.offset > 0 && (
            <a class="btn" href={page(Math.max(0, r.offset - r.limit))}>
              ← Previous
            </a>
          )}
          {r.offset + r.hits.length < r.total && r.hits.length === r.limit && (
            <a class="btn" href={page(r.offset + r.limit)}>
              Next →
            </a>
          )}
        </nav>
      )}
    </>
  );
}

export function SearchPage(props: { params: SearchParams; result?: SearchResult; text: string; ms: number; suggestion?: string }) {
  const p = props.params;
  return (
    <>
      <h1 class="visually-hidden">Search</h1>
      <form class="search-form" role="search" method="get" action="/search" data-live-search>
        <div class="q">
          <label class="visually-hidden" for="q">
            Search papers
          </label>
          <input id="q" name="q" type="search" value={p.q ?? ''} placeholder='e.g. "neural collapse" -dropout' autocomplete="off" autofocus data-search-input />
          <button class="btn primary" type="submit">
            Search
          </button>
        </div>
        <div class="filters">
          <div class="f">
            <label for="s-sort">Sort</label>
            <select id="s-sort" name="sort">
              {(
                [
                  ['relevance', 'Relevance'],
                  ['date', 'Newest'],
                  ['upvotes', 'Most upvoted'],
                ] as const
              ).map(([v, l]) => (
                <option value={v} selected={(p.sort ?? 'relevance') === v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div class="f">
            <label for="s-cat">Category</label>
            <input id="s-cat" name="cat" type="text" value={p.cat ?? ''} placeholder="cs.LG" />
          </div>
          <div class="f">
            <label for="s-author">Author</label>
            <input id="s-author" name="author" type="text" value={p.author ?? ''} placeholder="name" />
          </div>
          <div class="f">
            <label for="s-from">From</label>
            <input id="s-from" name="from" type="text" value={p.from ?? ''} placeholder="2024-01" inputMode="numeric" class="date-in" />
            <label for="s-to">to</label>
            <input id="s-to" name="to" type="text" value={p.to ?? ''} placeholder="2025-06" inputMode="numeric" class="date-in" />
          </div>
        </div>
        <details class="syntax">
          <summary>Search syntax</summary>
          <ul>
            <li>
              <code>"neural collapse"</code> a phrase · <code>-dropout</code> without a word · <code>grok*</code> a prefix · <code>a OR b</code>
            </li>
            <li>
              <code>author:hinton</code> or <code>au:"Geoffrey Hinton"</code> · <code>cat:cs.LG</code> · <code>-cat:cs.CV</code>
            </li>
            <li>
              <code>year:2024</code> · <code>year:2020..2023</code> · <code>date:2024-01..2024-06</code> · <code>after:2024-03-01</code> ·{' '}
              <code>sort:date</code>
            </li>
          </ul>
        </details>
      </form>
      <div id="results" data-results aria-live="polite">
        <SearchResults {...props} />
      </div>
    </>
  );
}
