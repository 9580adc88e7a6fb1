/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Profile pages: list + create, one profile's papers/rules, add and remove papers. Forms post, then redirect. */
import { risingInArea } from '../../app/topics.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { importFilesForProfile } from '../../profile/import.ts';
import { addToProfile, createProfile, deleteProfile, ProfileError, removeFromProfile, showProfile, type SeedSources } from '../../profile/profiles.ts';
import { normaliseRules } from '../../profile/rules.ts';
import type { ProfileRules } from '../../store/types.ts';
import type { AppContext } from '../../app/context.ts';
import { HttpError } from '../../app/errors.ts';
import { parsePart } from '../../http/route.ts';
import { asHttp } from '../../app/feeds.ts';
import { deliveryView, updateDelivery, type RequestAddress } from '../../app/delivery.ts';
import { lines, readForm, redirect, words, type FormData } from '../forms.ts';
import { activeProfile, setActiveProfile } from '../html.tsx';
import { ProfilePage, ProfilesPage, type SourceValues } from '../pages/profiles.tsx';
import type { Web } from '../web.ts';

const FLASH: Record<string, string> = {
  created: 'Profile created. Its feed is one click away.',
  added: 'Papers added.',
  removed: 'Paper removed from the profile.',
  rules: 'Rules saved.',
  deleted: 'Profile deleted.',
  delivery: 'Delivery saved.',
};

/** The address this request reached the server at: feed links in the page use it (unless a public URL is configured). */
const addressOf = (req: FastifyRequest): RequestAddress => ({ protocol: req.protocol, host: req.headers.host });

function sources(form: FormData): { sources: SeedSources; values: SourceValues } {
  const f = form.fields;
  const uploads = form.files.map((x) => ({ name: x.name, text: x.bytes.toString('utf8') }));
  if (f.text?.trim()) uploads.unshift({ name: 'pasted list', text: f.text });
  const pick = Number(f.authorPick);
  return {
    sources: {
      uploads: uploads.length ? uploads : undefined,
      arxivIds: words(f.arxivIds).length ? words(f.arxivIds) : undefined,
      author: f.author?.trim() || undefined,
      authorPick: Number.isInteger(pick) && pick > 0 ? pick : undefined,
    },
    values: { name: f.name, text: f.text, arxivIds: f.arxivIds, author: f.author },
  };
}

const hasSource = (s: SeedSources) => !!(s.uploads?.length || s.arxivIds?.length || s.author);

export function registerProfiles(app: FastifyInstance, web: Web) {
  const seedDeps = (ctx: AppContext) => ({ store: ctx.store, now: ctx.now(), importFiles: importFilesForProfile });
  const nameParams = z.object({ name: z.string().min(1).max(200) });

  const listPage = async (ctx: AppContext, reply: FastifyReply, extra: { values?: SourceValues; error?: string; candidates?: import('../../profile/authors.ts').AuthorCandidate[]; flash?: string; active?: string; status?: number }) =>
    web.send(reply, {
      title: 'Profiles',
      nav: 'profiles',
      status: extra.status,
      body: <ProfilesPage profiles={await ctx.store.profiles.listProfiles()} {...extra} />,
    });

  app.get('/profiles', async (req, reply) => {
    const ctx = req.actx;
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return listPage(ctx, reply, { flash: q.flash ? FLASH[q.flash] : undefined, active: activeProfile(req) });
  });

  app.post('/profiles', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const form = await readForm(req);
    const { sources: src, values } = sources(form);
    if (!hasSource(src)) return listPage(ctx, reply, { values, status: 400, error: 'Give the profile some papers: paste a list, upload a file, enter arXiv ids or an author name.' });
    try {
      await createProfile(seedDeps(ctx), form.fields.name ?? '', src);
    } catch (err) {
      if (err instanceof ProfileError) {
        return listPage(ctx, reply, { values, status: err.code === 'ambiguous-author' ? 409 : 400, error: err.message, candidates: err.candidates });
      }
      throw err;
    } finally {
      ctx.services.papersChanged?.();
    }
    const name = form.fields.name.trim();
    setActiveProfile(reply, name);
    return redirect(reply, `/profiles/${encodeURIComponent(name)}?flash=created`);
  });

  const detailPage = async (req: FastifyRequest, reply: FastifyReply, name: string, extra: Omit<Parameters<typeof ProfilePage>[0], 'detail' | 'delivery'> & { status?: number }) => {
    const ctx = req.actx;
    const detail = await showProfile(ctx.store, name).catch((err) => {
      throw asHttp(err);
    });
    const delivery = await deliveryView(ctx, detail.name, addressOf(req));
    const { status, ...rest } = extra;
    // A profile page never fails for want of topics: without them the block is simply absent.
    const rising = await risingInArea(ctx, detail.name).catch(() => []);
    return web.send(reply, { title: detail.name, nav: 'profiles', status, body: <ProfilePage detail={detail} delivery={delivery} rising={rising} {...rest} /> });
  };

  app.get('/profiles/:name', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(nameParams, req.params, 'path');
    const q = parsePart(z.object({ flash: z.string().optional() }), req.query, 'query');
    return detailPage(req, reply, name, { flash: q.flash ? FLASH[q.flash] : undefined });
  });

  app.post('/profiles/:name/add', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(nameParams, req.params, 'path');
    const form = await readForm(req);
    const { sources: src, values } = sources(form);
    if (!hasSource(src)) return detailPage(req, reply, name, { values, status: 400, error: 'Nothing to add: paste a list, upload a file, enter arXiv ids or an author name.' });
    try {
      const report = await addToProfile(seedDeps(ctx), name, src);
      return detailPage(req, reply, name, { report });
    } catch (err) {
      if (err instanceof ProfileError && err.code !== 'not-found') {
        return detailPage(req, reply, name, { values, status: err.code === 'ambiguous-author' ? 409 : 400, error: err.message, candidates: err.candidates });
      }
      throw asHttp(err);
    } finally {
      ctx.services.papersChanged?.();
    }
  });

  app.post('/profiles/:name/remove', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(nameParams, req.params, 'path');
    const { fields } = await readForm(req);
    const r = await removeFromProfile(ctx.store, name, [fields.id ?? '']).catch((err) => {
      throw asHttp(err);
    });
    if (r.unknown.length) throw new HttpError(404, `no paper with id "${fields.id}"`);
    return redirect(reply, `/profiles/${encodeURIComponent(name)}?flash=removed`);
  });

  app.post('/profiles/:name/rules', async (req, reply) => {
    const ctx = req.actx;
    const { store } = ctx;
    const { name } = parsePart(nameParams, req.params, 'path');
    const { fields } = await readForm(req);
    const profile = await store.profiles.getProfile(name);
    if (!profile) throw new HttpError(404, `no profile named "${name}"`);
    const cutoffText = (fields.cutoff ?? '').trim();
    const cutoff = cutoffText === '' ? undefined : Number(cutoffText);
    if (cutoff !== undefined && !Number.isFinite(cutoff)) return detailPage(req, reply, name, { status: 400, error: `Cut-off “${cutoffText}” is not a number.` });
    let rules: ProfileRules;
    try {
      rules = normaliseRules({ must: lines(fields.must), never: lines(fields.never), authors: lines(fields.authors), organizations: lines(fields.organizations), ...(cutoff !== undefined ? { cutoff } : {}) });
    } catch (err) {
      return detailPage(req, reply, name, { status: 400, error: (err as Error).message });
    }
    await store.profiles.updateProfileSettings(profile.profileId, { ...profile.settings, rules }, ctx.now().toISOString());
    return redirect(reply, `/profiles/${encodeURIComponent(name)}?flash=rules`);
  });

  app.post('/profiles/:name/delivery', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(nameParams, req.params, 'path');
    const { fields } = await readForm(req);
    const values = { email: fields.email ?? '', cadence: fields.cadence, weekday: fields.weekday, webhookUrl: fields.webhookUrl ?? '' };
    const cadence = ['daily', 'weekly', 'off'].includes(values.cadence ?? '') ? (values.cadence as 'daily' | 'weekly' | 'off') : undefined;
    const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].includes(values.weekday ?? '') ? (values.weekday as 'mon') : undefined;
    try {
      await updateDelivery(ctx, name, { email: values.email, webhookUrl: values.webhookUrl, ...(cadence ? { cadence } : {}), ...(weekday ? { weekday } : {}) }, addressOf(req));
    } catch (err) {
      if (err instanceof HttpError && err.statusCode === 400) return detailPage(req, reply, name, { status: 400, deliveryError: err.message, deliveryValues: values });
      throw err;
    }
    return redirect(reply, `/profiles/${encodeURIComponent(name)}?flash=delivery#delivery`);
  });

  app.post('/profiles/:name/delete', async (req, reply) => {
    const ctx = req.actx;
    const { name } = parsePart(nameParams, req.params, 'path');
    await deleteProfile(ctx.store, name).catch((err) => {
      throw asHttp(err);
    });
    if (activeProfile(req) === name) setActiveProfile(reply, undefined);
    return redirect(reply, '/profiles?flash=deleted');
  });
}
