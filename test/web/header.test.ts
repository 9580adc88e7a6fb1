/**
 * The header at common desktop widths (and a phone's): every menu entry is
 * shown whole, none is clipped by the menu's edge or hidden under the search
 * box, and the search box keeps a usable width. Screenshots of the header go
 * to artifacts/screenshots/header-<width>.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer, type Server } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { describeBrowser, launch, SCREENSHOTS } from './browser.ts';

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface HeaderLayout {
  nav: Box & { scrollWidth: number; clientWidth: number };
  links: (Box & { text: string; scrollWidth: number; clientWidth: number })[];
  search?: Box & { placeholder: number; room: number };
  header: Box;
}

function measure(): HeaderLayout {
  const box = (el: Element): Box => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const nav = document.querySelector('.site-nav')!;
  const search = document.querySelector<HTMLInputElement>('.header-search input');
  // The placeholder's width in the input's font, against the room inside its padding.
  const placeholder = (input: HTMLInputElement) => {
    const s = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    return { placeholder: ctx.measureText(input.placeholder).width, room: input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) };
  };
  return {
    nav: { ...box(nav), scrollWidth: nav.scrollWidth, clientWidth: nav.clientWidth },
    links: [...nav.querySelectorAll('a')]
      .filter((a) => getComputedStyle(a).display !== 'none')
      .map((a) => ({ ...box(a), text: a.textContent ?? '', scrollWidth: a.scrollWidth, clientWidth: a.clientWidth })),
    search: search ? { ...box(search), ...placeholder(search) } : undefined,
    header: box(document.querySelector('.site-header')!),
  };
}

const overlaps = (a: Box, b: Box) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

describeBrowser('the header at desktop and phone widths', () => {
  let dir: string;
  let store: SqliteStore;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radar-header-'));
    store = new SqliteStore(join(dir, 'radar.db'));
    server = await buildServer({ store, log: () => {} });
    base = (await server.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const width of [1024, 1280, 1440, 390]) {
    it(`at ${width} px shows every menu entry whole, clear of the search box`, async () => {
      const page: Page = await (await browser.newContext({ viewport: { width, height: 800 } })).newPage();
      for (const path of ['/map', '/sources', '/', '/search']) {
        await page.goto(`${base}${path}`);
        const m = await page.evaluate(measure);
        expect(m.links.map((l) => l.text)).toContain('Sources');
        expect(m.nav.scrollWidth, `${path}: the menu scrolls`).toBeLessThanOrEqual(m.nav.clientWidth);
        for (const l of m.links) {
          expect(l.scrollWidth, `${path}: "${l.text}" is cut inside its link`).toBeLessThanOrEqual(l.clientWidth);
          expect(l.left, `${path}: "${l.text}" starts before the menu`).toBeGreaterThanOrEqual(m.nav.left - 0.5);
          expect(l.right, `${path}: "${l.text}" runs past the menu's edge`).toBeLessThanOrEqual(m.nav.right + 0.5);
          expect(l.right, `${path}: "${l.text}" runs past the page`).toBeLessThanOrEqual(width);
          if (m.search) expect(overlaps(l, m.search), `${path}: "${l.text}" is under the search box`).toBe(false);
        }
        if (m.search) {
          expect(m.search.right).toBeLessThanOrEqual(width);
          expect(m.search.right - m.search.left, `${path}: the search box is too narrow to type in`).toBeGreaterThanOrEqual(120);
          expect(m.search.placeholder, `${path}: the search box's placeholder is cut`).toBeLessThanOrEqual(m.search.room);
        }
      }
      await page.goto(`${base}/map`);
      await page.screenshot({ path: join(SCREENSHOTS, `header-${width}.png`), clip: { x: 0, y: 0, width, height: 140 } });
      await page.context().close();
    });
  }
});
