/**
 * Every API area, registered in one place (on the `/api` scope, see app.ts).
 * Add a line for your module; keep one module per area.
 */
import type { RouteModule } from '../app.ts';
import { metaRoutes } from './meta.ts';
import { papersRoutes } from './papers.ts';

export const API_ROUTES: RouteModule[] = [metaRoutes, papersRoutes];
