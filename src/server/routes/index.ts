/**
 * Every API area, registered in one place (on the `/api` scope, see app.ts).
 * Add a line for your module; keep one module per area.
 */
import type { RouteModule } from '../app.ts';
import { actionsRoutes } from './actions.ts';
import { digestRoutes } from './digest.ts';
import { libraryRoutes } from './library.ts';
import { metaRoutes } from './meta.ts';
import { papersRoutes } from './papers.ts';
import { profilesRoutes } from './profiles.ts';
import { rssRoutes } from './rss.ts';
import { searchRoutes } from './search.ts';
import { sourcesRoutes } from './sources.ts';

export const API_ROUTES: RouteModule[] = [metaRoutes, papersRoutes, libraryRoutes, digestRoutes, actionsRoutes, rssRoutes, profilesRoutes, searchRoutes, sourcesRoutes];
