/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * Page rendering: the document shell (head, header, footer, help dialog) and
 * `sendPage`, which renders a Preact tree to a string with its per-page KaTeX
 * styles under a fresh CSP nonce. Everything untrusted goes through JSX text
 * (escaped); `jsonForScript` is the one way to embed data in a page.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { contentSecurityPolicy } from '../http/security.ts';
import { escapeHtml } from '../text/escape.ts';
import type { Assets } from './assets.ts';
import { PageStyles, StylesContext } from './math.tsx';

export type NavKey = 'daily' | 'search' | 'feed' | 'trends' | 'map' | 'profiles' | 'collections' | 'sources' | 'import' | 'none';

export interface PageSpec {
  title: string;
  nav: NavKey;
  body: VNode;
  status?: number;
  /** Value for the header search box. */
  q?: string;
  /** The page's script inserts fragments that may hold math (live search): link KaTeX's styles and keep a stylesheet for theirs. */
  liveMath?: boolean;
}

/** JSON safe inside <script type="application/json">: `<`, `>`, `&` and line separators escaped. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'daily', href: '/', label: 'Daily' },
  { key: 'search', href: '/search', label: 'Search' },
  { key: 'feed', href: '/feed', label: 'For you' },
  { key: 'trends', href: '/trends', label: 'Trends' },
  { key: 'map', href: '/map', label: 'Map' },
  { key: 'profiles', href: '/profiles', label: 'Profiles' },
  { key: 'collections', href: '/collections', label: 'Collections' },
  { key: 'sources', href: '/sources', label: 'Sources' },
  { key: 'import', href: '/import', label: 'Import' },
];

function Logo() {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <g fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round">
        <path d="M16 16 24 8" />
        <path d="M8.5 23.5a10.6 10.6 0 1 1 15 0" />
        <path d="M12.3 19.7a5.2 5.2 0 1 1 7.4 0" />
      </g>
      <circle cx="16" cy="16" r="2.4" fill="currentColor" />
    </svg>
  );
}

/** Who is signed in, for the header (absent when the server has no accounts). */
interface SignedIn {
  name: string;
}

function Shell({ spec, account, children }: { spec: PageSpec; account?: SignedIn; children: ComponentChildren }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <div class={spec.nav === 'search' ? 'inner' : 'inner with-search'}>
          <a class="brand" href="/">
            <Logo />
            Paper Radar
          </a>
          <nav class="site-nav" aria-label="Main">
            {NAV.map((n) => (
              <a href={n.href} class={`nav-${n.key}`} aria-current={n.key === spec.nav ? 'page' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          {spec.nav !== 'search' && (
          <form class="header-search" role="search" action="/search" method="get">
            <label class="visually-hidden" for="header-q">
              Search papers
            </label>
            <input id="header-q" type="search" name="q" placeholder="Search  ( / )" value={spec.q ?? ''} autocomplete="off" data-shortcut="/" />
          </form>
          )}
          {account && (
            <div class="account-menu">
              <a href="/account" class="nav-account">
                {account.name}
              </a>
              <form method="post" action="/signout" class="inline-form">
                <button class="btn ghost small" type="submit">
                  Sign out
                </button>
              </form>
            </div>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        Paper Radar · runs on this machine, no external requests ·{' '}
        <a href="/api/openapi.json">API</a> ·{' '}
        <button type="button" class="btn ghost small" data-open-help>
          Keyboard shortcuts <kbd>?</kbd>
        </button>
      </footer>
      <dialog id="help" aria-labelledby="help-title">
        <h2 id="help-title">Keyboard shortcuts</h2>
        <div class="shortcuts">
          <kbd>/</kbd>
          <span>Search</span>
          <kbd>j</kbd>
          <span>Next paper</span>
          <kbd>k</kbd>
          <span>Previous paper</span>
          <kbd>o</kbd>
          <span>Open the selected paper</span>
          <kbd>l</kbd>
          <span>Like (feed)</span>
          <kbd>s</kbd>
          <span>Save (feed)</span>
          <kbd>d</kbd>
          <span>Dismiss (feed)</span>
          <kbd>?</kbd>
          <span>This help</span>
        </div>
        <form method="dialog">
          <button class="btn" type="submit">
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}

/**
 * Renders a page body (no shell) to HTML for the client script to insert
 * (live search results, "why recommended"). Math is rendered as on a page;
 * its KaTeX styles travel in a hidden element's data attribute (escaped JSON)
 * and the script adds them to the page's nonce'd stylesheet (client/math.ts),
 * since the CSP forbids inline styles.
 */
export function renderFragment(node: VNode): string {
  const styles = new PageStyles();
  const html = renderToString(<StylesContext.Provider value={styles}>{node}</StylesContext.Provider>);
  if (!styles.size) return html;
  return `${html}<div hidden data-math-styles="${escapeHtml(JSON.stringify(Object.fromEntries(styles.entries())))}"></div>`;
}

/**
 * Puts the session's CSRF token in every form that posts: a hidden `_csrf`
 * field, and for multipart forms (read as a stream by their handlers) also in
 * the action's query. Done on the finished HTML so no form can forget it.
 */
export function withCsrf(html: string, token: string): string {
  return html.replace(/<form\b([^>]*)>/gi, (tag, attrs: string) => {
    if (!/\bmethod="post"/i.test(attrs)) return tag;
    let a = attrs;
    if (/enctype="multipart\/form-data"/i.test(a)) a = a.replace(/\baction="([^"]*)"/i, (_m, url: string) => `action="${url}${url.includes('?') ? '&amp;' : '?'}_csrf=${token}"`);
    return `<form${a}><input type="hidden" name="_csrf" value="${token}">`;
  });
}

export function sendPage(reply: FastifyReply, assets: Assets, spec: PageSpec): FastifyReply {
  const styles = new PageStyles();
  const actor = reply.request.actx?.actor;
  const account = actor?.user && actor.via === 'session' ? { name: actor.user.name } : undefined;
  const csrf = actor?.via === 'session' ? actor.csrf : undefined;
  const rendered = renderToString(
    <StylesContext.Provider value={styles}>
      <Shell spec={spec} account={account}>
        {spec.body}
      </Shell>
    </StylesContext.Provider>,
  );
  const body = csrf ? withCsrf(rendered, escapeHtml(csrf)) : rendered;
  // A page that receives fragments (live search) always has the stylesheet their math styles go into.
  const nonce = styles.size || spec.liveMath ? randomBytes(16).toString('base64') : undefined;
  const html =
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="color-scheme" content="light dark">' +
    (csrf ? `<meta name="csrf-token" content="${escapeHtml(csrf)}">` : '') +
    `<title>${escapeHtml(spec.title)} · Paper Radar</title>` +
    `<link rel="icon" href="${assets.urls.icon}" type="image/svg+xml">` +
    `<link rel="stylesheet" href="${assets.urls.css}">` +
    (styles.usedMath || spec.liveMath ? `<link rel="stylesheet" href="${assets.urls.katexCss}">` : '') +
    (nonce ? `<style nonce="${nonce}" id="math-styles">${styles.css()}</style>` : '') +
    `<script type="module" src="${assets.urls.js}"></script>` +
    `</head><body>${body}</body></html>`;
  return reply
    .code(spec.status ?? 200)
    .header('content-security-policy', contentSecurityPolicy(nonce))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** The profile chosen in this browser (a cookie; UI state only). */
export function activeProfile(req: FastifyRequest): string | undefined {
  const m = /(?:^|;\s*)radar_profile=([^;]*)/.exec(req.headers.cookie ?? '');
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]) || undefined;
  } catch {
    return undefined;
  }
}

export function setActiveProfile(reply: FastifyReply, name: string | undefined): void {
  reply.header(
    'set-cookie',
    name ? `radar_profile=${encodeURIComponent(name)}; Path=/; SameSite=Lax; Max-Age=31536000` : 'radar_profile=; Path=/; SameSite=Lax; Max-Age=0',
  );
}
