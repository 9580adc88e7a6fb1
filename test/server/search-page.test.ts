import { describe, expect, it } from 'vitest';
import { composeQuery } from '../../src/app/search.ts';
import { testServer } from './helpers.ts';

describe('search page', () => {
  it('offers "did you mean" with a link that keeps the filters', async () => {
    const { app } = await testServer();
    const page = (await app.inject({ url: '/search?q=reasonnig&sort=date' })).body;
    expect(page).toContain('Did you mean <a href="/search?q=reasoning&amp;sort=date">reasoning</a>?');
    expect((await app.inject({ url: '/search?q=reasoning' })).body).not.toContain('Did you mean');
  });

  it('composes the controls into the search language', () => {
    expect(composeQuery({ q: ' neural  collapse ', cat: 'cs.LG', author: 'Ada "x" Lovelace', from: '2024', to: '2025-06' })).toBe(
      'neural  collapse cat:cs.LG author:"Ada x Lovelace" date:2024..2025-06',
    );
    expect(composeQuery({ author: 'hinton' })).toBe('author:hinton');
    expect(composeQuery({})).toBe('');
  });

  it('finds papers with highlighted, escaped snippets, and keeps the query in the URL form', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/search?q=neural+collapse' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('value="neural collapse"');
    const cards = [...r.body.matchAll(/<li class="card" data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(cards[0]).toBe('arxiv:2510.00001');
    expect(r.body).toMatch(/<mark>[^<]*[Nn]eural[^<]*<\/mark>/);
  });

  it('returns just the results for the page script, and filters with the controls', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/search?q=reasoning&cat=cs.CL&partial=1' });
    expect(r.statusCode).toBe(200);
    expect(r.body.startsWith('<!doctype')).toBe(false);
    const ids = [...r.body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.sort()).toEqual(['arxiv:2510.00002', 'arxiv:2510.00004']);
    const byDate = await app.inject({ url: '/search?q=reasoning&sort=date&partial=1' });
    const dated = [...byDate.body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(dated[0]).toBe('arxiv:2510.00002');
  });

  it('survives hostile queries: escaped, never a server error', async () => {
    const { app } = await testServer();
    for (const q of ['<script>alert(1)</script>', '"unbalanced', 'NEAR(a b)', "'; DROP TABLE papers; --", 'x'.repeat(9000), '🧠 -', 'title:']) {
      const r = await app.inject({ url: `/search?q=${encodeURIComponent(q)}` });
      expect(r.statusCode, q).toBe(200);
      expect(r.body).not.toContain('<script>alert(1)');
    }
    const hostile = await app.inject({ url: '/search?q=hostile' });
    expect(hostile.body).toContain('&lt;script>');
    expect(hostile.body).not.toContain('<script>alert("x")');
    expect((await app.inject({ url: '/search?sort=best' })).statusCode).toBe(400);
  });

  it('renders math in highlighted titles and snippets, on the page and in the live fragments', async () => {
    const { app, store } = await testServer();
    await store.papers.upsertPapers(
      [
        {
          arxivId: '2510.00077',
          title: 'Sorting in $\\mathcal{O}(n \\log n)$ Time <i>Revisited</i>',
          abstract: 'A sorting bound of $\\mathcal{O}(n \\log n)$ comparisons, and <b>markup</b> that stays text.',
          authors: ['Tony Hoare'],
          categories: ['cs.DS'],
          announced: '2025-10-09',
          source: { kind: 'manual', locator: 'fixture:77', seenAt: '2025-10-10T00:00:00Z' },
        },
      ],
      '2025-10-10T00:00:00Z',
    );
    const page = await app.inject({ url: '/search?q=sorting' });
    const card = /<li class="card" data-id="arxiv:2510\.00077"[\s\S]*?<\/li>/.exec(page.body)?.[0] ?? '';
    expect(card).toMatch(/<a [^>]*data-open[^>]*><mark>Sorting<\/mark> in <span class="math"><span class="katex">/);
    expect(card).toContain('<mark>sorting</mark>');
    expect(card).not.toContain('$\\mathcal');
    expect(card).toContain('&lt;i>Revisited&lt;/i>');
    expect(card).toContain('&lt;b>markup&lt;/b>');
    expect(page.body).not.toMatch(/\sstyle="/);
    const nonce = /<style nonce="([^"]+)" id="math-styles">/.exec(page.body)?.[1];
    expect(page.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);

    // The live fragment: rendered math, its styles in an escaped data attribute for the page script to adopt.
    const frag = await app.inject({ url: '/search?q=sorting&partial=1' });
    expect(frag.body).toContain('class="katex"');
    expect(frag.body).not.toContain('$\\mathcal');
    expect(frag.body).not.toMatch(/\sstyle="|<style|<script/);
    const holder = /<div hidden data-math-styles="([^"]+)"><\/div>$/.exec(frag.body)?.[1];
    const styles = JSON.parse(holder!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Record<string, string>;
    const used = new Set([...frag.body.matchAll(/data-k="([^"]+)"/g)].map((m) => m[1]));
    expect(new Set(Object.keys(styles))).toEqual(used);

    // A search page without math still has the stylesheet and KaTeX's styles that live results may need.
    const plain = await app.inject({ url: '/search?q=reasoning' });
    expect(plain.body).toMatch(/<style nonce="[^"]+" id="math-styles"><\/style>/);
    expect(plain.body).toContain('/assets/katex/katex.min.css');
  });

  it('tells a new user what to type', async () => {
    const { app } = await testServer();
    const r = await app.inject({ url: '/search' });
    expect(r.body).toContain('Results update as you type');
  });
});
