/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * One paper: its page (provenance, note, collections, similar papers, why a
 * profile would want it), and the forms it posts (note, collect, feedback).
 */
import { tldrsFor } from '../../app/tldr.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { recordFeedback, whyRecommended, type Why } from '../../app/feeds.ts';
import { addPaperToCollection, requirePaper, setNote } from '../../app/library.ts';
import { similarForPage } from '../../app/similar.ts';
import { parsePart } from '../../http/route.ts';
import { paperHref, qs } from '../components.tsx';
import { field, redirect } from '../forms.ts';
import { activeProfile, renderFragment } from '../html.tsx';
import { PaperPage, WhyBody, type WhyView } from '../pages/paper.tsx';
import { FLASH, type Web } from '../web.ts';

export function registerPaper(app: FastifyInstance, web: Web) {

  const paperParams = z.object({ id: z.string().min(1).max(500) });
  app.get('/paper/:id', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const { id } = parsePart(paperParams, req.params, 'path');
    const q = parsePart(z.object({ flash: z.string().optional(), similar: z.enum(['recent', 'popular']).optional() }), req.query, 'query');
    const paper = await requirePaper(ctx.store, id);
    if (paper.id !== id) return reply.code(301).header('location', paperHref(paper.id) + qs({ similar: q.similar })).send();
    const [provenance, note, collections, inCollections, profiles, similar] = await Promise.all([
      store.papers.provenance(paper.pk),
      store.library.getNote(paper.pk),
      store.library.listCollections(),
      store.library.collectionsOf(paper.pk),
      store.profiles.listProfiles(),
      similarForPage(ctx, paper, q.similar ?? 'similarity').catch((err) => {
        ctx.log(`radar serve: similar papers for ${paper.id} failed: ${(err as Error).stack ?? err}`);
        return { unavailable: 'Similar papers could not be computed (see the server log).', reason: 'indexes' as const };
      }),
    ]);
    const chosen = activeProfile(req);
    const profile = profiles.find((p) => p.name === chosen) ?? (profiles.length === 1 ? profiles[0] : undefined);
    let why: WhyView | undefined;
    let pressed: string[] = [];
    if (profile) {
      pressed = (await store.profiles.feedback(profile.profileId)).filter((f) => f.pk === paper.pk).map((f) => f.action);
      why = describeWhy(await whyRecommended(ctx, profile.name, paper, { rank: false }), profile.name, paper.id);
    }
    return web.send(reply, {
      title: paper.title || paper.id,
      nav: 'none',
      body: (
        <PaperPage
          paper={paper}
          provenance={provenance}
          note={note}
          collections={collections}
          inCollections={inCollections}
          similar={similar}
          profile={profile?.name}
          why={why}
          tldr={(await tldrsFor(ctx, [paper.id])).get(paper.id)}
          feedback={pressed}
          flash={q.flash ? FLASH[q.flash] : undefined}
        />
      ),
    });
  });

  app.post('/paper/:id/note', async (req, reply) => {
    const ctx = req.actx;
    const { id } = parsePart(paperParams, req.params, 'path');
    const r = await setNote(ctx.store, id, field(req.body, 'text'), ctx.now());
    return redirect(reply, `${paperHref(r.id)}?flash=note`);
  });

  app.post('/paper/:id/collect', async (req, reply) => {
    const ctx = req.actx;
    const { id } = parsePart(paperParams, req.params, 'path');
    const r = await addPaperToCollection(ctx.store, field(req.body, 'collection') || 'Saved', id, ctx.now());
    return redirect(reply, `${paperHref(r.id)}?flash=saved`);
  });

  // Why a profile would want a paper: ranking its day costs a model fit, so the paper page
  // loads this after it has painted (client script), or links here without script.
  app.get('/paper/:id/why', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const { id } = parsePart(paperParams, req.params, 'path');
    const q = parsePart(z.object({ profile: z.string().min(1).max(200), partial: z.literal('1').optional() }), req.query, 'query');
    const paper = await requirePaper(ctx.store, id);
    const why = describeWhy(await whyRecommended(ctx, q.profile, paper), q.profile, paper.id);
    const body = <WhyBody why={why} profile={q.profile} />;
    if (q.partial) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderFragment(body));
    return web.send(reply, {
      title: `Why for ${q.profile}`,
      nav: 'none',
      body: (
        <>
          <p>
            <a href={paperHref(paper.id)}>← {paper.title || paper.id}</a>
          </p>
          <h1>Why {q.profile} would want this paper</h1>
          {body}
        </>
      ),
    });
  });

  // Feedback from a feed card or the paper page. The client script posts here asking for JSON
  // (optimistic update); without script the form posts and comes back to where it was.
  app.post('/paper/:id/feedback', async (req, reply) => {
    const ctx = req.actx;
    const { id } = parsePart(paperParams, req.params, 'path');
    const b = parsePart(
      z.object({ profile: z.string().min(1).max(200), action: z.enum(['like', 'save', 'dismiss', 'seen']), undo: z.union([z.boolean(), z.enum(['1', 'true', ''])]).optional(), back: z.string().optional() }),
      req.body,
      'body',
    );
    const undo = b.undo === true || b.undo === '1' || b.undo === 'true';
    const r = await recordFeedback(ctx, b.profile, id, b.action, undo);
    if ((req.headers.accept ?? '').includes('application/json')) return r;
    return redirect(reply, b.back === 'feed' ? `/feed${qs({ profile: b.profile })}` : `${paperHref(r.id)}`);
  });
}

function describeWhy(w: Why, profile: string, id: string): WhyView {
  switch (w.kind) {
    case 'pending':
      return { pending: `${paperHref(id)}/why${qs({ profile })}` };
    case 'ranked':
      return { reasons: w.reasons, score: w.score };
    case 'own':
      return { unavailable: `This is one of ${profile}'s own papers: it teaches the ranking and never appears in the feed.` };
    case 'feedback':
      return { unavailable: `You marked this paper: ${w.actions.join(', ')}. ${w.actions.includes('dismiss') ? 'It will not be shown again.' : 'The ranking learns from it.'}` };
    case 'unranked':
      return { unavailable: w.message };
  }
}
