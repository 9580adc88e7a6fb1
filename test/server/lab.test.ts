/**
 * "Popular in your lab" on a shared instance: the daily page's block and the
 * API list count what two members liked and saved; a member is named only
 * after choosing to be (the account page), and a single-user instance shows
 * no block at all.
 */
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { addUser, createToken } from '../../src/app/accounts.ts';
import { buildServer } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { User } from '../../src/store/types.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FIXTURE, NOW } from './helpers.ts';

const at = NOW.toISOString();

async function lab(opts: { members: boolean }) {
  const store = new SqliteStore(join(tempDir('radar-lab-'), 'radar.db'), { now: () => NOW });
  await store.papers.upsertPapers(FIXTURE, at);
  const pk = async (id: string) => (await store.papers.getPaper(id))!.pk;
  const ada = await addUser(store, 'ada', 'correct horse battery', 'admin', NOW);
  const like = async (u: User, profile: string, id: string, action: 'like' | 'save') => {
    const view = store.forOwner(u.userId);
    const p = (await view.profiles.getProfile(profile)) ?? (await view.profiles.createProfile(profile, {}, at));
    await view.profiles.addFeedback(p.profileId, await pk(id), action, at);
  };
  await like(ada, 'ml', 'arxiv:2510.00001', 'like');
  let bob: User | undefined;
  if (opts.members) {
    bob = await addUser(store, 'bob', 'correct horse battery', 'member', NOW);
    await like(bob, 'ml', 'arxiv:2510.00001', 'like');
    await like(bob, 'ml', 'arxiv:2510.00002', 'save');
  }
  const s = await buildServer({ store, now: () => NOW, log: () => {} });
  onTestFinished(async () => {
    await s.close();
    await store.close();
  });
  const bearer = async (u: User) => ({ authorization: `Bearer ${(await createToken(store, { user: u, via: 'local' }, 'test', NOW)).token}` });
  return { app: s.app, store, ada, bob: bob!, asAda: await bearer(ada), asBob: bob ? await bearer(bob) : undefined };
}

/** The block's rows as "title | counts". */
function blockRows(html: string): string[] {
  const block = /<section class="panel lab-block"[\s\S]*?<\/section>/.exec(html)?.[0];
  if (!block) return [];
  return [...block.matchAll(/<li class="row" data-id="[^"]+"><a class="grow" href="[^"]+">([\s\S]*?)<\/a><span class="badge"[^>]*>([^<]*)<\/span><\/li>/g)].map(
    (m) => `${m[1].replace(/<[^>]+>/g, '')} | ${m[2]}`,
  );
}

it('shows both members\' likes and saves with counts on the daily page, names only those who opted in', async () => {
  const { app, asAda, asBob } = await lab({ members: true });
  const page = await app.inject({ url: '/?day=2025-10-09', headers: asAda });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('Popular in your lab');
  expect(blockRows(page.body)).toEqual(['Neural Collapse under Weight Decay | 2 likes', 'Latent Reasoning with Switch Tokens | 1 save']);

  // Bob chooses to be named, on the account page (a form post with his session would do the same).
  const r = await app.inject({ method: 'PUT', url: '/api/me/lab', headers: asBob!, payload: { show: true } });
  expect(r.statusCode).toBe(200);
  expect(r.json()).toEqual({ showInLab: true });
  const named = await app.inject({ url: '/?day=2025-10-09', headers: asAda });
  expect(blockRows(named.body)).toEqual(['Neural Collapse under Weight Decay | 2 likes · bob', 'Latent Reasoning with Switch Tokens | 1 save · bob']);
  expect(named.body).not.toMatch(/2 likes · ada/);

  // The same over the API, with counts per paper.
  const api = (await app.inject({ url: '/api/lab', headers: asBob! })).json() as { days: number; papers: { paper: { id: string }; likes: number; saves: number; members: number; names: string[] }[] };
  expect(api.days).toBe(14);
  expect(api.papers.map((p) => [p.paper.id, p.likes, p.saves, p.members, p.names])).toEqual([
    ['arxiv:2510.00001', 2, 0, 2, ['bob']],
    ['arxiv:2510.00002', 0, 1, 1, ['bob']],
  ]);
  // The account page shows the choice.
  const account = await app.inject({ url: '/account', headers: asBob! });
  expect(account.body).toMatch(/<input type="checkbox" name="show" value="1" checked/);
});

it('shows no block on a single-user instance', async () => {
  const { app, asAda } = await lab({ members: false });
  const page = await app.inject({ url: '/?day=2025-10-09', headers: asAda });
  expect(page.statusCode).toBe(200);
  expect(page.body).not.toContain('Popular in your lab');
  expect((await app.inject({ url: '/api/lab', headers: asAda })).json()).toEqual({ days: 14, papers: [] });
});

it("moves a member's cached feed when another member likes a paper, and says why", async () => {
  const { app, store, ada, bob, asAda } = await lab({ members: true });
  // Ada's profile is made of her paper; the feed over the fixture days, everything kept.
  const ml = (await store.forOwner(ada.userId).profiles.getProfile('ml'))!;
  await store.forOwner(ada.userId).profiles.addProfilePapers(ml.profileId, [{ pk: (await store.papers.getPaper('arxiv:2510.00001'))!.pk, origin: 'test' }], at);
  const url = '/api/profiles/ml/feed?from=2025-10-06&to=2025-10-10&cutoff=-100&limit=50';
  type Item = { id: string; score: number; reasons: { kind: string; text: string }[] };
  const feed = async () => ((await app.inject({ url, headers: asAda })).json() as { items: Item[] }).items;
  const before = await feed();
  const saved = before.find((i) => i.id === 'arxiv:2510.00002')!;
  expect(saved.reasons).toContainEqual({ kind: 'lab', members: 1, text: 'liked or saved by 1 member of your lab in the last 14 days' });
  const other = before.find((i) => i.id !== 'arxiv:2510.00002' && !i.reasons.some((r) => r.kind === 'lab'))!;

  // Bob likes another paper: Ada's next request is not served the cached feed.
  const view = store.forOwner(bob.userId);
  await view.profiles.addFeedback((await view.profiles.getProfile('ml'))!.profileId, (await store.papers.getPaper(other.id))!.pk, 'like', at);
  const after = (await feed()).find((i) => i.id === other.id)!;
  expect(after.reasons.some((r) => r.kind === 'lab')).toBe(true);
  expect(after.score).toBeCloseTo(other.score + 0.25, 3);
});
