/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Building blocks shared by the pages: paper cards, author lines, links, empty states. */
import type { ComponentChildren } from 'preact';
import { linksWithCode } from '../paper/code.ts';
import type { Paper } from '../paper/types.ts';
import { MathText, snippetOf } from './math.tsx';

export type CardPaper = Pick<
  Paper,
  'id' | 'title' | 'abstract' | 'abstractTruncated' | 'authors' | 'authorsComplete' | 'authorCount' | 'categories' | 'listingDate' | 'signals' | 'links' | 'venue' | 'year'
> &
  Partial<Pick<Paper, 'comment'>>;

export function paperHref(id: string): string {
  return `/paper/${encodeURIComponent(id).replace(/%3A/g, ':')}`;
}
export function authorHref(name: string): string {
  return `/author/${encodeURIComponent(name)}`;
}
export function qs(params: Record<string, string | number | undefined | null | false>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== false && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `9 Oct 2025` */
export function shortDate(day: string | undefined): string {
  if (!day) return '';
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
/** `6–12 April 2026`, `30 Mar – 5 Apr 2026` */
export function spanTitle(from: string, to: string): string {
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  if (y1 === y2 && m1 === m2) return `${d1}–${d2} ${MONTHS_LONG[m1 - 1]} ${y1}`;
  if (y1 === y2) return `${d1} ${MONTHS[m1 - 1]} – ${d2} ${MONTHS[m2 - 1]} ${y1}`;
  return `${shortDate(from)} – ${shortDate(to)}`;
}

/** `Thursday, 9 October 2025` */
export function longDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS_LONG[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
export function monthName(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return `${MONTHS_LONG[m - 1]} ${y}`;
}

export function Authors({ paper, max = 6 }: { paper: Pick<Paper, 'authors' | 'authorsComplete' | 'authorCount'>; max?: number }) {
  const { authors, authorCount } = paper;
  // Only a count known (pasted listings): shown as a count, fainter than names, so it never reads as one.
  if (!authors.length)
    return authorCount ? (
      <div class="authors">
        <span class="author-count" title="Author names not known yet">
          {authorCount === 1 ? '1 author' : `${authorCount.toLocaleString('en-US')} authors`}
        </span>
      </div>
    ) : null;
  const shown = authors.slice(0, max);
  const total = Math.max(authorCount ?? 0, authors.length);
  const rest = total - shown.length;
  return (
    <div class="authors">
      {shown.map((a, i) => (
        <>
          {i > 0 && ', '}
          <a href={authorHref(a)}>{a}</a>
        </>
      ))}
      {rest > 0 ? ` + ${rest} more` : !paper.authorsComplete ? ' et al.' : ''}
    </div>
  );
}

export function Categories({ categories }: { categories: string[] }) {
  return (
    <>
      {categories.slice(0, 4).map((c) => (
        <a class="cat" href={`/${qs({ category: c })}`} title={`Daily papers in ${c}`}>
          {c}
        </a>
      ))}
    </>
  );
}

export function Votes({ upvotes }: { upvotes?: number }) {
  // No count known: an empty column, so the card lines up with its neighbours that have one.
  if (upvotes === undefined) return <div class="votes none" aria-hidden="true" />;
  return (
    <div class="votes" title={`${upvotes} upvotes on Hugging Face`}>
      <span class="arrow" aria-hidden="true">
        ▲
      </span>
      <span class="n">{upvotes}</span>
      <span class="visually-hidden">upvotes</span>
    </div>
  );
}

/** The card abstract: a snippet that expands in place to the full text (a native <details>: no script, keyboard-accessible). */
export function Abstract({ paper, chars = 260 }: { paper: Pick<Paper, 'abstract' | 'abstractTruncated'>; chars?: number }) {
  if (!paper.abstract) return <p class="abstract muted small">No abstract known yet.</p>;
  const snip = snippetOf(paper.abstract, chars);
  if (!snip.cut) {
    return (
      <div class="abstract">
        <MathText text={paper.abstract} />
        {paper.abstractTruncated ? ' …' : ''}
      </div>
    );
  }
  return (
    <details class="abstract">
      <summary>
        <span class="snippet">
          <MathText text={snip.text} />…
        </span>
        <span class="more">more</span>
        <span class="less">Show less</span>
      </summary>
      <div>
        <MathText text={paper.abstract} />
        {paper.abstractTruncated ? ' …' : ''}
      </div>
    </details>
  );
}

/** The paper's code repository (or, without one, its project page) as a small button; nothing when none is known. */
export function CodeLink({ paper }: { paper: Pick<Paper, 'links' | 'signals' | 'abstract'> & Partial<Pick<Paper, 'comment'>> }) {
  // Links a source gave win; otherwise those written in the abstract or comment.
  const links = linksWithCode({ links: paper.links, abstract: paper.abstract, comment: paper.comment });
  const code = links.code ?? paper.signals.githubRepo;
  const href = code ?? links.project;
  if (!href || !/^https?:\/\//i.test(href)) return null;
  return (
    <a class="code-link" href={href} rel="noopener noreferrer" target="_blank" title={href}>
      {code ? 'Code' : 'Project'} ↗
    </a>
  );
}

export interface CardProps {
  paper: CardPaper;
  /** Replaces the abstract (search snippets). */
  summary?: ComponentChildren;
  /** Under the abstract: reasons, actions. */
  children?: ComponentChildren;
  /** Heading level for the title inside the list (h2 on listing pages, h3 under section headings). */
  level?: 2 | 3;
  attrs?: Record<string, string | undefined>;
  extraMeta?: ComponentChildren;
  /** Keep the upvote column even when this paper has no count (so a list where some have one stays aligned). */
  votesColumn?: boolean;
  /** Replaces the title text (search: matched words marked). */
  titleNode?: ComponentChildren;
  /** Length of the collapsed abstract snippet (default 260). */
  abstractChars?: number;
}

export function PaperCard({ paper, summary, children, level = 2, attrs, extraMeta, votesColumn, titleNode, abstractChars }: CardProps) {
  const H = level === 2 ? 'h2' : 'h3';
  const title = paper.title || '(title not known yet)';
  return (
    <li class="card" data-id={paper.id} {...attrs}>
      {(votesColumn || paper.signals.upvotes !== undefined) && <Votes upvotes={paper.signals.upvotes} />}
      <div class="body">
        <H>
          <a href={paperHref(paper.id)} data-open>
            {titleNode ?? <MathText text={title} />}
          </a>
        </H>
        <Authors paper={paper} />
        <div class="meta">
          {paper.listingDate ? <time dateTime={paper.listingDate}>{shortDate(paper.listingDate)}</time> : paper.year ? <span>{paper.year}</span> : <span>undated</span>}
          <Categories categories={paper.categories} />
          {paper.signals.organization && <span class="org">{paper.signals.organization}</span>}
          <CodeLink paper={paper} />
          {extraMeta}
        </div>
        {summary ?? <Abstract paper={paper} chars={abstractChars} />}
        {children}
      </div>
    </li>
  );
}

export function Notice({ kind, children }: { kind: 'ok' | 'error' | 'warn' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** What a new user sees while the store is empty: how to get papers in. */
export function NoPapersYet() {
  return (
    <section class="panel empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No papers yet</h2>
      <p class="muted">Paper Radar keeps everything on this machine. Give it some papers to start with:</p>
      <ol>
        <li>
          <strong>Import a file</strong> on the <a href="/import">Import page</a>: a BibTeX or CSL-JSON export from Zotero, an arXiv
          metadata snapshot or JSON lines, or a page of search results or a publication list pasted as text. From a terminal:{' '}
          <code>npx radar import FILE…</code>
        </li>
        <li>
          <strong>Follow sources</strong> on the <a href="/sources">Sources page</a>: arXiv categories (cs.LG, math.OC, …) or Hugging Face
          Daily Papers. The last days are fetched at once, and new papers keep arriving while the app runs.
        </li>
        <li>
          Then <a href="/profiles">create a profile</a> from your own papers to get a ranked, explained feed.
        </li>
      </ol>
      <p>
        <a class="btn primary" href="/import">
          Import papers
        </a>
      </p>
    </section>
  );
}

/** Previous/next links for a list shown `pageSize` at a time; nothing when it fits on one page. */
export function Pager({ offset, pageSize, shown, total, href }: { offset: number; pageSize: number; shown: number; total: number; href: (offset: number) => string }) {
  const end = offset + shown;
  if (offset <= 0 && end >= total) return null;
  return (
    <nav class="more-link row" aria-label="Pages">
      {offset > 0 && (
        <a class="btn" href={href(Math.max(0, offset - pageSize))} rel="prev">
          ← Previous {pageSize}
        </a>
      )}
      {end < total && (
        <a class="btn" href={href(offset + pageSize)} rel="next">
          Next {Math.min(pageSize, total - end)} →
        </a>
      )}
    </nav>
  );
}

/** A machine-generated one-sentence summary, marked as such. */
export function TldrLine({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <p class="tldr">
      <span class="tldr-tag" title="Written by a language model from the abstract; may be wrong">
        TL;DR · machine-generated
      </span>{' '}
      {text}
    </p>
  );
}
