/**
 * Every API area, registered in one place (on the `/api` scope, see api.ts).
 * Add a line for your module; keep one module per area.
 */
import type { RouteModule } from '../../http/app.ts';
import type { ApiOptions } from '../api.ts';
import { accountsRoutes } from './accounts.ts';
import { actionsRoutes } from './actions.ts';
import { digestRoutes } from './digest.ts';
import { exportRoutes } from './export.ts';
import { labRoutes } from './lab.ts';
import { libraryRoutes } from './library.ts';
import { metaRoutes } from './meta.ts';
import { papersRoutes } from './papers.ts';
import { profilesRoutes } from './profiles.ts';
import { rssRoutes } from './rss.ts';
import { searchRoutes } from './search.ts';
import { sourcesRoutes } from './sources.ts';
import { topicsRoutes } from './topics.ts';

export function apiRoutes(opts: ApiOptions): RouteModule[] {
  return [metaRoutes, accountsRoutes, papersRoutes, libraryRoutes, digestRoutes, actionsRoutes(opts.sendActionPage), rssRoutes, profilesRoutes, searchRoutes, sourcesRoutes, topicsRoutes, exportRoutes, labRoutes];
}
