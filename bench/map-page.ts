/**
 * The Map page in a real browser (Debian's chromium via playwright-core) on
 * an indexed database:
 *
 * - payload sizes: `GET /api/map` (JSON, the public shape) against the binary
 *   map and its ids (`/api/map.bin`, `/api/map.ids`) the page loads, raw,
 *   gzip and brotli;
 * - first load, navigation start → points drawn: with the server's map memo
 *   cold, then warm with the browser's copy revalidated (304), then warm for a
 *   new visitor (no browser cache); the page's marks split fetch and decode;
 * - the old path as baseline in the same run: fetch + JSON.parse of the JSON
 *   map against fetch + decode of the binary one;
 * - smoothness: a scripted pan and zoom timed with requestAnimationFrame
 *   (frames per second, frame intervals, the map's own drawing time per
 *   frame) on the real map, and on 100k points (the real map topped up with
 *   jittered copies, served in place of `/api/map.bin`);
 * - hover: mean cost of one pointer move (the grid look-up).
 *
 *   npx tsx bench/map-page.ts --db PATH [--seconds 4] [--points 100000] [--shot FILE.png] [--json]
 */
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeMap, encodeMap } from '../src/app/map-format.ts';
import { buildServer } from '../src/cli/http-app.ts';
import { SqliteStore } from '../src/store/sqlite/store.ts';
import { flag, opt } from './lib/args.ts';
import { hoverCost, jsonVsBinary, panZoom, type FrameStats } from './lib/map-browser.ts';

const VIEWPORT = { width: 1280, height: 900 };

interface Load {
  drawnMs: number;
  marks: Record<string, number>;
}

/** tsx keeps function names with a `__name` helper the page does not have: the in-page functions need it defined. */
async function newPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await page.addInitScript('window.__name = (f) => f');
  return page;
}

async function load(page: Page, url: string): Promise<Load> {
  await page.goto(url);
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector<HTMLElement>('[data-map-bin]')?.dataset.ready ?? ''), undefined, { timeout: 600_000 });
  return page.evaluate(() => ({
    drawnMs: Number(document.querySelector<HTMLElement>('[data-map-bin]')!.dataset.ready),
    marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('map-')).map((m) => [m.name, Math.round(m.startTime)])),
  }));
}

/** The real map topped up to `target` points with copies of its points, moved a little, so density looks real. */
function toppedUp(bin: Buffer, target: number): Buffer {
  const m = decodeMap(new Uint8Array(bin));
  const n = m.x.length;
  const x = new Float32Array(target);
  const y = new Float32Array(target);
  const topic = new Uint16Array(target);
  let s = 42;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let i = 0; i < target; i++) {
    const j = i % n;
    const extra = i >= n ? 0.01 : 0;
    x[i] = m.x[j] + rnd() * extra;
    y[i] = m.y[j] + rnd() * extra;
    topic[i] = m.topic[j];
  }
  const out = encodeMap({ x, y, topic, topics: m.topics });
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

async function frames(browser: Browser, base: string, seconds: number, swap?: { bin: Buffer; count: number }): Promise<{ points: string; frames: FrameStats; hoverMs: number }> {
  const page = await newPage(browser);
  if (swap) {
    await page.route('**/api/map.bin', (r) => r.fulfill({ status: 200, contentType: 'application/vnd.paper-radar.map', headers: { 'x-map-build': 'bench' }, body: swap.bin }));
    await page.route('**/api/map.ids', (r) =>
      r.fulfill({ status: 200, contentType: 'text/plain', headers: { 'x-map-build': 'bench' }, body: Array.from({ length: swap.count }, (_, i) => `bench:${i}`).join('\n') }),
    );
  }
  await load(page, `${base}/map`);
  const points = (await page.locator('.map-count').textContent()) ?? '';
  const stats = await page.evaluate(panZoom, seconds * 1000);
  const hoverMs = await page.evaluate(hoverCost, 300);
  await page.context().close();
  return { points, frames: stats, hoverMs };
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
const r1 = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const db = opt('db');
  if (!db) throw new Error('--db PATH: an indexed database with topics (radar import builds them)');
  const seconds = Number(opt('seconds', '4'));
  const target = Number(opt('points', '100000'));
  const store = new SqliteStore(resolve(db));
  const server = await buildServer({ store, log: () => {} });
  const base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  const browser = await chromium.launch({ executablePath: process.env.RADAR_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await newPage(browser);
    const cold = await load(page, `${base}/map`);
    const shot = opt('shot');
    if (shot) await page.screenshot({ path: resolve(shot) });
    const revalidated = await load(page, `${base}/map`);
    const fresh = await load(await newPage(browser), `${base}/map`);
    const baseline = await page.evaluate(jsonVsBinary);

    const size = async (url: string) => {
      const raw = (await server.app.inject({ url })).rawPayload;
      const gz = (await server.app.inject({ url, headers: { 'accept-encoding': 'gzip' } })).rawPayload.length;
      const br = (await server.app.inject({ url, headers: { 'accept-encoding': 'br' } })).rawPayload.length;
      // The JSON map is sent as is (the server compresses only what it caches): gzip it here to compare like with like.
      return { raw, gzip: url === '/api/map' ? gzipSync(raw).length : gz, br: url === '/api/map' ? undefined : br };
    };
    const json = await size('/api/map');
    const bin = await size('/api/map.bin');
    const ids = await size('/api/map.ids');

    const real = await frames(browser, base, seconds);
    const big = await frames(browser, base, seconds, { bin: toppedUp(bin.raw, target), count: target });
    const out = {
      points: real.points,
      payload: {
        json: { raw: json.raw.length, gzip: json.gzip },
        bin: { raw: bin.raw.length, gzip: bin.gzip, br: bin.br },
        ids: { raw: ids.raw.length, gzip: ids.gzip, br: ids.br },
      },
      firstLoadMs: { cold: cold.drawnMs, revalidated: revalidated.drawnMs, newVisitor: fresh.drawnMs },
      marks: { cold: cold.marks, newVisitor: fresh.marks },
      fetchAndParseMs: { json: Math.round(baseline.jsonMs), bin: Math.round(baseline.binMs), ratio: r1(baseline.jsonMs / baseline.binMs) },
      panZoom: { real: real.frames, [`${target}`]: big.frames },
      hoverMsPerMove: { real: Math.round(real.hoverMs * 1000) / 1000, [`${target}`]: Math.round(big.hoverMs * 1000) / 1000 },
    };
    if (flag('json')) process.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      const f = (s: FrameStats) =>
        `${s.fps} fps over ${s.frames} frames (interval p50 ${r1(s.intervalP50)} ms, p95 ${r1(s.intervalP95)} ms; drawing p50 ${r1(s.renderP50)} ms, p95 ${r1(s.renderP95)} ms)`;
      const lines = [
        `map page on ${real.points}`,
        `payload: JSON ${kb(json.raw.length)} (sent uncompressed; gzip would be ${kb(json.gzip)}); binary ${kb(bin.raw.length)} (gzip ${kb(bin.gzip)}, br ${kb(bin.br!)}) + ids ${kb(ids.raw.length)} (gzip ${kb(ids.gzip)}, br ${kb(ids.br!)}) after the first picture`,
        `first load, navigation start → points drawn: ${cold.drawnMs} ms (server memo cold), ${revalidated.drawnMs} ms (warm, 304), ${fresh.drawnMs} ms (warm, new visitor); marks ${JSON.stringify(fresh.marks)}`,
        `fetch + parse: JSON ${Math.round(baseline.jsonMs)} ms, binary ${Math.round(baseline.binMs)} ms (×${r1(baseline.jsonMs / baseline.binMs)})`,
        `pan/zoom, ${real.points}: ${f(real.frames)}`,
        `pan/zoom, ${big.points}: ${f(big.frames)}`,
        `hover: ${real.hoverMs.toFixed(3)} ms a move (${real.points}), ${big.hoverMs.toFixed(3)} ms (${big.points})`,
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
    }
  } finally {
    await browser.close();
    await server.close();
    await store.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
