import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { hostileCases } from '../fixtures/hostile/generate.ts';
import { multipart } from '../server/multipart.ts';
import { NOW, testServer } from '../server/helpers.ts';
import { tempDir } from '../helpers/tmp.ts';

const good = (id: string) => JSON.stringify({ id, title: `Paper ${id}`, abstract: 'Fine.', announced: '2025-02-03' });

describe('form uploads', () => {
  const tmp = process.env.TMPDIR;
  afterEach(() => {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  });

  it('answers a malformed multipart body with 400, not 500, on every form that takes files', async () => {
    const { app } = await testServer({ seed: false });
    const headers = { 'content-type': 'multipart/form-data; boundary=XYZ' };
    for (const url of ['/import', '/import?stream=1', '/profiles']) {
      const cut = await app.inject({ method: 'POST', url, headers, payload: '--XYZ\r\nContent-Disposition: form-data; name="files"; filename="a.bib"\r\n\r\n@article{' });
      expect(cut.statusCode, url).toBe(400);
      const noBoundary = await app.inject({ method: 'POST', url, headers: { 'content-type': 'multipart/form-data' }, payload: 'hello' });
      expect(noBoundary.statusCode, url).toBe(400);
    }
  });

  it('saves uploads to a private temporary directory, imports them under their own names, and removes them', async () => {
    process.env.TMPDIR = mkdtempSync(join(tempDir(), 'tmp-'));
    const { app, store } = await testServer({ seed: false });
    const r = await app.inject({
      method: 'POST',
      url: '/import',
      ...multipart({}, [
        { field: 'files', name: 'a.jsonl', content: good('2502.00001') },
        { field: 'files', name: 'b.jsonl', content: `${good('2502.00002')}\n{ broken` },
      ]),
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/<code>b\.jsonl:2<\/code>/);
    expect((await store.papers.stats()).papers).toBe(2);
    expect(readdirSync(process.env.TMPDIR).filter((f) => f.startsWith('radar-upload-'))).toEqual([]);
  });

  it('a hostile upload (an Atom entry nesting 5,000 elements) is a report, not a 500: its neighbours land', async () => {
    const { app, store } = await testServer({ seed: false });
    const c = hostileCases(tempDir()).find((x) => x.name === 'atom-deep')!;
    await c.write();
    const r = await app.inject({ method: 'POST', url: '/import', ...multipart({}, [{ field: 'files', name: 'deep.xml', content: readFileSync(c.file) }]) });
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/nest more than 64 deep/);
    for (const id of c.landed) expect(await store.papers.getPaper(id)).toBeDefined();
    expect(await store.papers.getPaper(c.absent![0])).toBeUndefined();
  });

  it('refuses a request whose files together pass the upload limit with 413, storing nothing, and leaves no file behind', async () => {
    process.env.TMPDIR = mkdtempSync(join(tempDir(), 'tmp-'));
    const store = new SqliteStore(join(tempDir(), 'radar.db'), { now: () => NOW });
    const server = await buildServer({ store, now: () => NOW, log: () => {}, maxUploadBytes: 1000 });
    try {
      const each = Array.from({ length: 6 }, (_, i) => good(`2502.0001${i}`)).join('\n');
      expect(each.length).toBeLessThan(1000);
      const r = await server.app.inject({
        method: 'POST',
        url: '/import',
        ...multipart({}, [
          { field: 'files', name: 'a.jsonl', content: each },
          { field: 'files', name: 'b.jsonl', content: each },
        ]),
      });
      expect(r.statusCode).toBe(413);
      expect(r.body).toMatch(/larger than/);
      expect((await store.papers.stats()).papers).toBe(0);
      expect(readdirSync(process.env.TMPDIR).filter((f) => f.startsWith('radar-upload-'))).toEqual([]);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
