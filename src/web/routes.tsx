/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The web UI: server-rendered pages (Preact to string) over the same
 * application services the JSON API uses (src/app), plain HTML forms that
 * work without script (post, then redirect), and one small client script
 * that enhances them (live search, optimistic feedback, keyboard shortcuts,
 * note autosave, upload progress). The pages never open the database
 * themselves. Each page or page group registers its routes in handlers/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ActionView } from '../app/actions.ts';
import type { BuildOptions, PageModule } from '../http/app.ts';
import { registerAssets } from './assets.ts';
import { registerAccount, safeNext } from './handlers/account.tsx';
import { registerAuthor } from './handlers/author.tsx';
import { registerCollections } from './handlers/collections.tsx';
import { registerDaily } from './handlers/daily.tsx';
import { registerFeed } from './handlers/feed.tsx';
import { registerImport } from './handlers/import.tsx';
import { registerMail } from './handlers/mail.tsx';
import { registerPaper } from './handlers/paper.tsx';
import { registerProfiles } from './handlers/profiles.tsx';
import { registerSearch } from './handlers/search.tsx';
import { registerSources } from './handlers/sources.tsx';
import { registerTopics } from './handlers/topics.tsx';
import { sendPage } from './html.tsx';
import { sendActionPage } from './pages/actions.tsx';
import { SignInPage } from './pages/account.tsx';
import { ErrorPage } from './pages/simple.tsx';
import type { Web } from './web.ts';

const HANDLERS: ((app: FastifyInstance, web: Web) => void)[] = [
  registerAccount,
  registerProfiles,
  registerImport,
  registerDaily,
  registerSearch,
  registerPaper,
  registerFeed,
  registerAuthor,
  registerCollections,
  registerMail,
  registerSources,
  registerTopics,
];

export interface WebUi extends Pick<BuildOptions, 'pages' | 'htmlError' | 'signInPage'> {
  /** Renders the pages of one-click digest links for the API route that serves them (src/server/routes/actions.ts). */
  sendActionPage(reply: FastifyReply, view: ActionView): FastifyReply;
}

/** Builds the web module: its page routes, the HTML error page the app uses outside /api, and the one-click link pages. */
export function webUi(): WebUi {
  let web: Web | undefined;
  const pages: PageModule = async (app, ctx) => {
    const assets = await registerAssets(app);
    web = { ctx, assets, send: (reply, spec) => sendPage(reply, assets, spec) };
    for (const register of HANDLERS) register(app, web);
  };
  const htmlError = (status: number, message: string, _req: FastifyRequest, reply: FastifyReply) => {
    if (!web) return reply.code(status).type('text/plain; charset=utf-8').send(message);
    return web.send(reply, { title: status === 404 ? 'Not found' : 'Error', nav: 'none', status, body: <ErrorPage status={status} message={message} /> });
  };
  // A signed-out visitor asking for a page gets the sign-in form (401) and comes back to the page after.
  const signInPage = (req: FastifyRequest, reply: FastifyReply) => {
    if (!web) return reply.code(401).type('text/plain; charset=utf-8').send('sign in first');
    return web.send(reply, { title: 'Sign in', nav: 'none', status: 401, body: <SignInPage next={safeNext(req.url)} /> });
  };
  return { pages: [pages], htmlError, signInPage, sendActionPage: (reply, view) => sendActionPage(web?.send, reply, view) };
}
