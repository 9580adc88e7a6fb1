/**
 * The JSON API (`/api/…`, documented at `/api/openapi.json`) as one module
 * that src/http/app.ts registers on the `/api` scope. The route modules are
 * listed in routes/index.ts. How to add a route: src/server/README.md.
 */
import type { RouteModule } from '../http/app.ts';
import { recordRoutes } from './openapi.ts';
import type { SendActionPage } from './routes/actions.ts';
import { apiRoutes } from './routes/index.ts';
import { VERSION } from './version.ts';

export interface ApiOptions {
  /** Renders the pages a browser gets from one-click digest links (src/web `webUi().sendActionPage`). */
  sendActionPage: SendActionPage;
}

export function jsonApi(opts: ApiOptions): RouteModule {
  return async (api, ctx) => {
    // Recorded from the routes as they register, so the document cannot drift from them.
    const openapi = recordRoutes(api);
    for (const register of apiRoutes(opts)) await register(api, ctx);
    api.get('/openapi.json', { config: { openapi: { summary: 'This document', tags: ['meta'] } } }, async () =>
      openapi.document({ version: VERSION }),
    );
  };
}
