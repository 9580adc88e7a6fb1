/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/**
 * The import page. A plain form post imports and renders the report; the
 * client script posts with `?stream=1` and reads progress lines (NDJSON) as
 * the import runs, then the report's HTML, so a big file shows it moving.
 * Uploads go to a private temporary directory (removed when the import ends)
 * and are imported from there, streamed like files named on the command line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { importInputs, type ImportProgress, type ImportResult } from '../../ingest/import.ts';
import { badRequest } from '../../app/errors.ts';
import { refreshIndexesHook } from '../../vectors/hook.ts';
import { readUploads, type UploadForm } from '../forms.ts';
import { renderFragment } from '../html.tsx';
import { ImportPage, ImportReportView } from '../pages/import.tsx';
import type { Web } from '../web.ts';

const SERVER_BATCH = 250;

export function registerImport(app: FastifyInstance, web: Web) {
  // Papers are shared by every account: imports run on the server's own context.
  const { ctx } = web;
  const run = async (files: UploadForm['files'], onProgress?: (p: ImportProgress) => void): Promise<ImportResult> => {
    try {
      // Smaller batches than the CLI's: each is one synchronous transaction, and
      // the server must stay responsive (and stoppable) between them.
      return await importInputs(ctx.store, files.map(({ name, file }) => ({ name, file })), { now: ctx.now, onProgress, batchSize: SERVER_BATCH, afterImport: [refreshIndexesHook(ctx.embedder)] });
    } finally {
      ctx.services.papersChanged?.();
    }
  };

  // store.stats() counts authors and sources too (seconds on a big corpus); the page only needs the total.
  const paperCount = async () => (await ctx.store.papers.listPapers({ sort: 'date', limit: 1 })).total;

  app.get('/import', async (_req, reply) =>
    web.send(reply, { title: 'Import', nav: 'import', body: <ImportPage papers={await paperCount()} /> }),
  );

  app.post('/import', async (req, reply) => {
    const { store } = ctx;
    // mkdtemp makes it readable by this user only, under a name no one can guess.
    const dir = await mkdtemp(join(tmpdir(), 'radar-upload-'));
    const cleanup = () => rm(dir, { recursive: true, force: true });
    let handedOver = false;
    try {
      const { files, fields } = await readUploads(req, dir, ctx.maxUploadBytes);
      // The paste box is a file like any other: the format is sniffed from the text itself.
      const pasted = fields.text?.trim();
      if (pasted) {
        const file = join(dir, 'pasted');
        await writeFile(file, pasted, { mode: 0o600 });
        files.unshift({ name: 'pasted text', file, size: Buffer.byteLength(pasted) });
      }
      const stream = (req.query as { stream?: string }).stream === '1';
      if (!files.length) {
        await cleanup();
        if (stream) throw badRequest('choose a file to import or paste some papers', 'files');
        return web.send(reply, { title: 'Import', nav: 'import', status: 400, body: <ImportPage papers={await paperCount()} error="Choose a file to import or paste some papers." /> });
      }
      if (!stream) {
        const report = await run(files);
        await cleanup();
        return web.send(reply, { title: 'Import', nav: 'import', body: <ImportPage papers={await paperCount()} report={report} /> });
      }
      const out = new PassThrough();
      const line = (v: unknown) => out.write(`${JSON.stringify(v)}\n`);
      let last = 0;
      line({ progress: { phase: 'importing', files: files.length } });
      handedOver = true;
      run(files, (p) => {
        const t = Date.now();
        if (t - last < 150) return;
        last = t;
        line({ progress: { file: p.file, fileIndex: p.fileIndex, files: p.files, bytesRead: p.bytesRead, totalBytes: p.totalBytes, records: p.records, counts: p.counts } });
      })
        .then(async (report) => {
          line({ done: true, totals: report.totals, papers: await paperCount(), html: renderFragment(<ImportReportView report={report} />) });
        })
        .catch((err) => {
          ctx.log(`radar serve: import failed: ${(err as Error).stack ?? err}`);
          line({ error: 'the import failed (see the server log); batches committed before the failure stay' });
        })
        .finally(() => {
          out.end();
          void cleanup();
        });
      return reply.type('application/x-ndjson; charset=utf-8').header('cache-control', 'no-store').send(out);
    } finally {
      if (!handedOver) await cleanup();
    }
  });
}
