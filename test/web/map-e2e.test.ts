/**
 * Trends and the map in a real browser, on the seeds plus the first papers of
 * arXiv-daily imported through the CLI (which builds the indexes and the
 * topics): the Trends page lists topics with sparklines, the Map page draws
 * the papers, hovering shows a paper's title, clicking opens it, and a
 * profile's papers are highlighted. No request leaves the app. Screenshots go
 * to artifacts/screenshots/.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer, type Server } from '../../src/cli/http-app.ts';
import { main } from '../../src/cli/main.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { ALL_SEEDS, SEEDS, sharedPath } from '../helpers/shared.ts';
import { describeBrowser, launch, shot } from './browser.ts';

const ARXIV_PART = 3000;

async function firstLines(gz: string, n: number, out: string): Promise<void> {
  const lines: string[] = [];
  const rl = createInterface({ input: createReadStream(gz).pipe(createGunzip()) });
  for await (const line of rl) {
    if (line.trim()) lines.push(line);
    if (lines.length >= n) break;
  }
  rl.close();
  writeFileSync(out, `${lines.join('\n')}\n`);
}

async function cli(args: string[]): Promise<void> {
  const sink = new PassThrough();
  const err: string[] = [];
  const errs = new PassThrough();
  errs.on('data', (d) => err.push(String(d)));
  sink.resume();
  const code = await main(args, { stdout: sink, stderr: errs });
  if (code !== 0) throw new Error(`radar ${args.join(' ')} failed: ${err.join('')}`);
}

describeBrowser('trends and the map in a real browser', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-map-e2e-'));
    const db = join(dir, 'radar.db');
    const part = join(dir, 'arxiv-daily-part.jsonl');
    await firstLines(sharedPath('data', 'arxiv-daily', 'papers.jsonl.gz'), ARXIV_PART, part);
    await cli(['import', ...ALL_SEEDS, part, '--db', db]);
    await cli(['profile', 'create', 'ana', '--from', SEEDS.publicationList, '--db', db]);
    store = new SqliteStore(db);
    server = await buildServer({ store, log: (l) => problems.push(l) });
    base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the Trends page lists the topics, most rising first, each with a 26-week sparkline', async () => {
    await page.goto(`${base}/trends`);
    const rows = page.locator('.topic-row');
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await page.locator('.topic-row svg.spark polyline').count()).toBe(await rows.count());
    const first = (await rows.first().locator('.topic-label').textContent()) ?? '';
    expect(first.length).toBeGreaterThan(3);
    const growth = await page.locator('.topic-growth span').allTextContents();
    const values = growth.map((g) => Number(/×([\d.]+)/.exec(g)?.[1]));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    await shot(page, 'topics-01-trends');
  });

  it('the Map page draws every paper with topic labels; hovering shows a title, clicking opens the paper', async () => {
    await page.goto(`${base}/map?profile=ana`);
    const wrap = page.locator('[data-map-src]');
    await expect.poll(() => wrap.getAttribute('data-ready'), { timeout: 60_000 }).toMatch(/^\d+$/);
    expect(await page.locator('.map-count').textContent()).toMatch(/papers, \d+ topics/);
    await shot(page, 'topics-02-map');

    // Move over the canvas until a point is under the pointer, as a person would.
    const box = (await page.locator('#map-canvas').boundingBox())!;
    const tip = page.locator('.map-tip');
    let found = false;
    for (let gy = 0.3; gy <= 0.7 && !found; gy += 0.02) {
      for (let gx = 0.3; gx <= 0.7 && !found; gx += 0.02) {
        await page.mouse.move(box.x + box.width * gx, box.y + box.height * gy);
        found = await tip.isVisible();
      }
    }
    expect(found).toBe(true);
    // The title arrives from /api/papers/:id; until then the tip shows the id.
    await expect.poll(async () => (await tip.locator('strong').textContent()) ?? '').not.toMatch(/^(arxiv|doi|title):/);
    const title = (await tip.locator('strong').textContent())!;
    await shot(page, 'topics-03-map-hover');
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForURL(/\/paper\//);
    expect(await page.locator('h1').first().textContent()).toContain(title.slice(0, 30));
    await shot(page, 'topics-04-paper-from-map');
  });

  it('zooms with the wheel, and asks nothing of other hosts', async () => {
    await page.goto(`${base}/map`);
    await expect.poll(() => page.locator('[data-map-src]').getAttribute('data-ready'), { timeout: 60_000 }).toMatch(/^\d+$/);
    const box = (await page.locator('#map-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -400);
    await page.waitForTimeout(200);
    await shot(page, 'topics-05-map-zoomed');
    const outside = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});
