/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The Trends page and the Map page (its points come from GET /api/map.bin, drawn by client/map.ts). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { mapBinary } from '../../app/map-payload.ts';
import { trends } from '../../app/topics.ts';
import { parsePart } from '../../http/route.ts';
import { readTopicsMeta } from '../../vectors/topics/model.ts';
import { MapPage, TrendsPage } from '../pages/topics.tsx';
import type { Web } from '../web.ts';

const profileQuery = z.object({ profile: z.string().trim().max(200).optional().transform((v) => v || undefined) });

export function registerTopics(app: FastifyInstance, web: Web) {

  app.get('/trends', async (req, reply) => {
    const ctx = req.actx;
    const { profile } = parsePart(profileQuery, req.query, 'query');
    const profiles = (await ctx.store.profiles.listProfiles()).map((p) => p.name);
    const view = await trends(ctx, { profile });
    return web.send(reply, { title: 'Trends', nav: 'trends', body: <TrendsPage trends={view} profile={profile} profiles={profiles} /> });
  });

  app.get('/map', async (req, reply) => {
    const ctx = req.actx;
    const { profile } = parsePart(profileQuery, req.query, 'query');
    const profiles = (await ctx.store.profiles.listProfiles()).map((p) => p.name);
    const meta = await readTopicsMeta(ctx.store.models);
    // Start making the binary map now: by the time the page's script asks for it, it is made or well on its way.
    if (meta) mapBinary(ctx).catch(() => {});
    return web.send(reply, { title: 'Map', nav: 'map', body: <MapPage profile={profile && profiles.includes(profile) ? profile : undefined} profiles={profiles} empty={!meta} /> });
  });
}
