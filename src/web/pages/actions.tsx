/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The pages a one-click link from a digest opens (the API route
 * src/server/routes/actions.ts asks for them as `ActionView`s): the
 * confirmation with its one button, the result, and a refused link. Rendered
 * in the web UI's shell so they look like the app.
 */
import type { FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { escapeHtml } from '../../text/escape.ts';
import type { ActionView } from '../../app/actions.ts';
import type { LinkClaims } from '../../digest/tokens.ts';
import type { PageSpec } from '../html.tsx';

const VERB = { like: 'Like', dismiss: 'Dismiss', save: 'Save', unsubscribe: 'Unsubscribe' } as const;

const channelName = (c: LinkClaims['c']) => (c === 'webhook' ? 'webhook' : 'e-mail');

interface ActionPage {
  title: string;
  body: VNode;
  status?: number;
}

/** The question and the button that POSTs to the same URL. */
function confirmPage(claims: LinkClaims, token: string, paperTitle?: string): ActionPage {
  const title = claims.a === 'unsubscribe' ? `Stop ${channelName(claims.c)} digests?` : `${VERB[claims.a]} this paper?`;
  const body = (
    <div class="panel">
      <h1>{title}</h1>
      {claims.a === 'unsubscribe' ? (
        <p>
          The profile “{claims.p}” will get no more {channelName(claims.c)} digests. You can turn them on again by saving the profile’s delivery
          settings{claims.o === undefined ? <> or with <code>radar digest {claims.p} --subscribe</code></> : null}.
        </p>
      ) : (
        <p>
          {VERB[claims.a]} “{paperTitle || claims.id}” for the profile “{claims.p}”?
        </p>
      )}
      <form method="post" action={`/api/actions/${token}`} class="row">
        <button class="btn primary" type="submit">
          {VERB[claims.a]}
        </button>
        <a class="btn ghost" href={`/feed?profile=${encodeURIComponent(claims.p)}`}>
          Open the feed instead
        </a>
      </form>
      <p class="muted small">One more click, because mail security scanners open every link in a message: they must not act for you.</p>
    </div>
  );
  return { title, body };
}

function donePage(claims: LinkClaims, message: string): ActionPage {
  const title = claims.a === 'unsubscribe' ? 'Unsubscribed' : 'Thanks';
  const body = (
    <div class="panel">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href={`/feed?profile=${encodeURIComponent(claims.p)}`}>Open the feed of “{claims.p}”</a>
      </p>
    </div>
  );
  return { title, body };
}

function refusedPage(status: number, message: string): ActionPage {
  const body = (
    <div class="panel empty">
      <h1>This link does not work</h1>
      <p>{message}</p>
      <p>
        <a href="/feed">Open your feed</a>
      </p>
    </div>
  );
  return { title: 'Link not valid', body, status };
}

export function actionPage(view: ActionView): ActionPage {
  switch (view.kind) {
    case 'confirm':
      return confirmPage(view.claims, view.token, view.paperTitle);
    case 'done':
      return donePage(view.claims, view.message);
    case 'refused':
      return refusedPage(view.status, view.message);
  }
}

/** In the app's shell; before the pages have registered (no shell yet) the same body in a bare document. */
export function sendActionPage(send: ((reply: FastifyReply, spec: PageSpec) => FastifyReply) | undefined, reply: FastifyReply, view: ActionView): FastifyReply {
  const page = actionPage(view);
  if (send) return send(reply, { title: page.title, nav: 'none', body: page.body, status: page.status });
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(page.title)} · Paper Radar</title></head><body><main>${renderToString(page.body)}</main></body></html>`;
  return reply
    .code(page.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(html);
}
