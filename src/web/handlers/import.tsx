/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The import page. A plain form post imports and renders the report; the
 * client script posts with `?stream=1` and reads progress lines (NDJSON) as
 * the import runs, then the report's HTML, so a big file shows it moving.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { importInputs, type ImportProgress, type ImportResult } from '../../ingest/import.ts';
import { badRequest } from '../../app/errors.ts';
import { refreshIndexesHook } from '../../vectors/hook.ts';
import { readForm } from '../forms.ts';
import { renderFragment } from '../html.tsx';
import { ImportPage, ImportReportView } from '../pages/import.tsx';
import type { Web } from '../web.ts';

export function registerImport(app: FastifyInstance, web: Web) {
  // Papers are shared by every account: imports run on the server's own context.
  const { ctx } = web;
  const run = async (files: { name: string; bytes: Buffer }[], onProgress?: (p: ImportProgress) => void): Promise<ImportResult> => {
    try {
      return await importInputs(ctx.store, files, { now: ctx.now, onProgress, afterImport: [refreshIndexesHook(ctx.embedder)] });
    } finally {
      ctx.services.papersChanged?.();
    }
  };

  // store.stats() counts authors and sources too (seconds on a big corpus); the page only needs the total.
  const paperCount = async () => (await ctx.store.listPapers({ sort: 'date', limit: 1 })).total;

  app.get('/import', async (_req, reply) =>
    web.send(reply, { title: 'Import', nav: 'import', body: <ImportPage papers={await paperCount()} /> }),
  );

  app.post('/import', async (req, reply) => {
    const { files } = await readForm(req);
    const stream = (req.query as { stream?: string }).stream === '1';
    if (!files.length) {
      if (stream) throw badRequest('choose at least one file to import', 'files');
      return web.send(reply, { title: 'Import', nav: 'import', status: 400, body: <ImportPage papers={await paperCount()} error="Choose at least one file to import." /> });
    }
    if (!stream) {
      const report = await run(files);
      return web.send(reply, { title: 'Import', nav: 'import', body: <ImportPage papers={await paperCount()} report={report} /> });
    }
    const out = new PassThrough();
    const line = (v: unknown) => out.write(`${JSON.stringify(v)}\n`);
    let last = 0;
    line({ progress: { phase: 'importing', files: files.length } });
    run(files, (p) => {
      const t = Date.now();
      if (t - last < 150) return;
      last = t;
      line({ progress: { file: p.file, fileIndex: p.fileIndex, files: p.files, bytesRead: p.bytesRead, totalBytes: p.totalBytes, records: p.records, counts: p.counts } });
    })
      .then((report) => {
        line({ done: true, totals: report.totals, html: renderFragment(<ImportReportView report={report} />) });
      })
      .catch((err) => {
        ctx.log(`radar serve: import failed: ${(err as Error).stack ?? err}`);
        line({ error: 'the import failed (see the server log); batches committed before the failure stay' });
      })
      .finally(() => out.end());
    return reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(out);
  });
}
