/**
 * Map page load time in a real browser (Debian's chromium via playwright-core)
 * on an indexed database: navigation to the map drawn, first with the server's
 * map memo cold, then warm; then the frame time while zooming (how smooth the
 * canvas is with every paper drawn).
 *
 *   npx tsx bench/map-page.ts --db PATH [--json]
 */
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { buildServer } from '../src/cli/http-app.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { flag, opt } from './lib/args.ts';

async function main() {
  const db = opt('db');
  if (!db) throw new Error('--db PATH: an indexed database with topics (radar import builds them)');
  const store = new SqliteStore(resolve(db));
  const server = await buildServer({ store, log: () => {} });
  const base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  const browser = await chromium.launch({ executablePath: process.env.RADAR_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const load = async () => {
    const t0 = performance.now();
    await page.goto(`${base}/map`);
    await page.waitForFunction(() => /^\d+$/.test(document.querySelector<HTMLElement>('[data-map-src]')?.dataset.ready ?? ''), undefined, { timeout: 600_000 });
    return Math.round(performance.now() - t0);
  };
  const cold = await load();
  const warm = await load();
  const points = await page.locator('.map-count').textContent();
  // Zoom by one wheel step per frame and time the frames.
  const frames = await page.evaluate(async () => {
    const canvas = document.querySelector('#map-canvas')!;
    const r = canvas.getBoundingClientRect();
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 30; i++) {
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: i < 15 ? -120 : 120, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, cancelable: true }));
      await new Promise((res) => requestAnimationFrame(() => res(null)));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return { p50: times[15], p90: times[27] };
  });
  const out = { points, coldMs: cold, warmMs: warm, frameMs: { p50: Math.round(frames.p50), p90: Math.round(frames.p90) } };
  await browser.close();
  await server.close();
  await store.close();
  if (flag('json')) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stderr.write(`map page (${points}): ${cold} ms to drawn (server memo cold), ${warm} ms (warm); zooming: frame p50 ${out.frameMs.p50} ms, p90 ${out.frameMs.p90} ms\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
