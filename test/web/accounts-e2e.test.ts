/**
 * Accounts in a real browser: a signed-out visitor gets the sign-in page and
 * the API refuses them; an admin signs in, makes an invite link, and signs
 * out; the invited member creates an account through the link and is signed
 * in; each of them sees only their own profile's feed, and the client
 * module's own requests (note autosave) pass the CSRF check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser } from '../../src/app/accounts.ts';
import { buildServer, type Server } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { FIXTURE } from '../server/helpers.ts';
import { describeBrowser, launch, shot } from './browser.ts';

const NOW = '2025-10-10T12:00:00.000Z';

describeBrowser('accounts in a real browser', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    return page;
  }

  async function signIn(page: Page, name: string, password: string) {
    await page.goto(`${base}/feed`);
    await page.fill('input[name="name"]', name);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForURL(`${base}/feed`), page.click('form[action="/signin"] button[type="submit"]')]);
  }

  /** Gives the account a profile of its own, with one paper, as the profile page would. */
  async function profileFor(user: string, profile: string, arxivId: string) {
    const u = (await store.accounts.getUser(user))!;
    const mine = store.forOwner(u.userId);
    const p = await mine.profiles.createProfile(profile, {}, NOW);
    const paper = (await store.papers.getPaper(`arxiv:${arxivId}`))!;
    await mine.profiles.addProfilePapers(p.profileId, [{ pk: paper.pk, origin: 'manual' }], NOW);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-e2e-accounts-'));
    store = new SqliteStore(join(dir, 'radar.db'));
    await store.papers.upsertPapers(FIXTURE, NOW);
    await addUser(store, 'ada', 'ada password 123', 'admin', new Date(NOW));
    await profileFor('ada', 'ada-collapse', '2510.00001');
    server = await buildServer({ store, log: (l) => problems.push(l) });
    base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launch();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let invite = '';

  it('refuses a signed-out visitor: the page is the sign-in form, the API answers 401', async () => {
    const page = await newPage();
    const res = await page.goto(`${base}/feed`);
    expect(res?.status()).toBe(401);
    expect(await page.locator('form[action="/signin"]').count()).toBe(1);
    expect(await page.locator('text=ada-collapse').count()).toBe(0);
    const api = await page.evaluate(async () => {
      const r = await fetch('/api/profiles');
      return { status: r.status, body: await r.text() };
    });
    expect(api.status).toBe(401);
    expect(api.body).not.toContain('ada-collapse');
    await shot(page, 'accounts-01-sign-in');
  });

  it('lets the admin sign in, make an invite link and sign out', async () => {
    const page = await newPage();
    await signIn(page, 'ada', 'ada password 123');
    expect(await page.locator('h1').textContent()).toBe('For ada-collapse');
    await page.click('a.nav-account');
    await page.click('form[action="/account/invites"] button[type="submit"]');
    invite = await page.locator('[data-secret-value]').inputValue();
    expect(invite).toMatch(new RegExp(`^${base.replace(/[.]/g, '\\.')}/invite/[A-Za-z0-9_-]{43}$`));
    await shot(page, 'accounts-02-invite');
    await Promise.all([page.waitForURL(`${base}/signin`), page.click('.account-menu button[type="submit"]')]);
    expect((await page.goto(`${base}/feed`))?.status()).toBe(401);
  });

  it('lets the invited member create an account through the link, signed in at once', async () => {
    const page = await newPage();
    await page.goto(invite);
    await page.fill('input[name="name"]', 'bob');
    await page.fill('input[name="password"]', 'bob password 456');
    await Promise.all([page.waitForURL(`${base}/profiles`), page.click('form[action^="/invite/"] button[type="submit"]')]);
    expect(await page.locator('a.nav-account').textContent()).toBe('bob');
    // Bob sees none of Ada's profiles.
    expect(await page.locator('text=ada-collapse').count()).toBe(0);
    // The link worked once.
    const again = await (await newPage()).goto(invite);
    expect(again?.status()).toBe(410);
  });

  it('shows each account only its own feed', async () => {
    await profileFor('bob', 'bob-reasoning', '2510.00002');
    const bob = await newPage();
    await signIn(bob, 'bob', 'bob password 456');
    expect(await bob.locator('h1').textContent()).toBe('For bob-reasoning');
    expect(await bob.locator('#feed-profile option').allTextContents()).toEqual(['bob-reasoning']);
    expect((await bob.goto(`${base}/feed?profile=ada-collapse`))?.status()).not.toBe(200);
    await bob.goto(`${base}/feed`);
    await shot(bob, 'accounts-03-bob-feed');

    const ada = await newPage();
    await signIn(ada, 'ada', 'ada password 123');
    expect(await ada.locator('#feed-profile option').allTextContents()).toEqual(['ada-collapse']);

    // The client module's own requests (note autosave, a PUT to the API) carry the CSRF header, and the note is Bob's alone.
    await bob.goto(`${base}/paper/arxiv%3A2510.00004`);
    await bob.fill('form[data-note] textarea', 'bob thinks this is good');
    await bob.locator('form[data-note] textarea').blur();
    await expect.poll(() => bob.locator('[data-note-status]').textContent()).toBe('Saved');
    const paper = (await store.papers.getPaper('arxiv:2510.00004'))!;
    expect((await store.forOwner((await store.accounts.getUser('bob'))!.userId).library.getNote(paper.pk))?.text).toBe('bob thinks this is good');
    expect(await store.forOwner((await store.accounts.getUser('ada'))!.userId).library.getNote(paper.pk)).toBeUndefined();
    await ada.goto(`${base}/paper/arxiv%3A2510.00004`);
    expect(await ada.locator('form[data-note] textarea').inputValue()).toBe('');
    expect(problems).toEqual([]);
  });
});
