/**
 * A store indexed with an external embedder (here an OpenAI-compatible
 * endpoint on loopback) keeps that model on every path that opens or
 * refreshes the indexes — the server's first open, the scheduled
 * refresh-indexes job, search and similar papers — even in a process started
 * without the setting. Only an explicit setting replaces it, and says so.
 */
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { JobRuntime } from '../../src/jobs/runtime.ts';
import { jobForSlot } from '../../src/jobs/scheduler.ts';
import { similarToPaper } from '../../src/rank/similar.ts';
import { buildServer, buildServices } from '../../src/cli/http-app.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import type { Store } from '../../src/store/types.ts';
import { OpenAiEmbedder } from '../../src/vectors/embedders/openai.ts';
import { readDenseState, refreshIndexes, type RefreshProgress } from '../../src/vectors/refresh.ts';
import { refreshOptionsFor, resolveEmbedder } from '../../src/vectors/select.ts';
import { tempDir } from '../helpers/tmp.ts';
import { embeddingServer } from './embedding-server.ts';
import { syntheticRecords, TOPIC_NAMES, TOPICS, topicOf } from './synthetic.ts';

const NOW = '2025-01-02T00:00:00Z';
// Enough papers that a refresh falling back to the built-in model would fit it (and drop the endpoint's vectors).
const PAPERS = 1200;

/** The endpoint's model: how many words of each synthetic topic a text has (plus a little of everything). */
function topicVector(text: string): number[] {
  const words = text.toLowerCase().split(/[^a-z]+/);
  return TOPIC_NAMES.map((t) => 0.1 + words.filter((w) => TOPICS[t].includes(w)).length);
}

async function topicEndpoint() {
  const srv = await embeddingServer((body, _req, res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: body.input.map((t, index) => ({ index, embedding: topicVector(t) })) })),
  );
  return { ...srv, spec: `openai:${srv.baseUrl}?model=topics&batchSize=100`, texts: () => srv.calls.flatMap((c) => c.input) };
}

const config = configSchema.parse({ http: { contact: 'test@example.org' }, jobs: [{ name: 'indexes', schedule: '0 3 * * *', task: { type: 'refresh-indexes' } }] });

const arxivNumber = async (store: Store, pk: number) => Number((await store.papers.getPapersByPk([pk]))[0].arxivId!.split('.')[1]);

async function indexedWithEndpoint(spec: string): Promise<SqliteStore> {
  const store = new SqliteStore(join(tempDir(), 'radar.db'));
  await store.papers.upsertPapers(syntheticRecords(0, PAPERS), NOW);
  // As `RADAR_EMBEDDER=openai:… radar import` leaves it.
  await refreshIndexes(store, refreshOptionsFor(resolveEmbedder(spec, {})));
  return store;
}

// No embedder setting (no --embedder, no RADAR_EMBEDDER), as a server or worker started plainly.
const plain = () => resolveEmbedder(undefined, {});

describe('an external embedder stays in use', () => {
  it('through the server’s open, the refresh-indexes job, search and similar papers', async () => {
    const ep = await topicEndpoint();
    const store = await indexedWithEndpoint(ep.spec);
    try {
      const indexed = (await readDenseState(store))!;
      expect(indexed).toMatchObject({ embedder: 'openai:topics', dims: 4, spec: ep.spec });
      expect(await store.vectors.countVectors(indexed.vectors)).toBe(PAPERS);

      // Papers written without the hook: the server's first open refreshes, with the stored model.
      await store.papers.upsertPapers(syntheticRecords(PAPERS, 40), NOW);
      const before = ep.texts().length;
      const server = await buildServer({ store, config, runJobs: false, embedder: plain() });
      try {
        const services = await buildServices({ store, embedder: plain() });
        const r = await services.retrieval!();
        expect(r.dense?.state.vectors).toBe(indexed.vectors);
        expect(await store.vectors.countVectors(indexed.vectors)).toBe(PAPERS + 40);
        expect(ep.texts().length - before).toBe(40);

        // Search over HTTP: dense retrieval embeds the query with the endpoint and finds the query's topic.
        const res = await server.app.inject({ method: 'GET', url: `/api/search?q=${encodeURIComponent('grokking memorization circuits')}&mode=dense&limit=10` });
        expect(res.statusCode).toBe(200);
        const body = res.json() as { query: { mode: string }; warnings: { code: string }[]; results: { id: string }[] };
        expect(body.query.mode).toBe('dense');
        expect(body.warnings.map((w) => w.code)).not.toContain('no-dense');
        expect(body.results).toHaveLength(10);
        for (const hit of body.results) expect(topicOf(Number(hit.id.split('.')[1]))).toBe('grokking');
        expect(ep.texts()).toContain('grokking memorization circuits');

        // Similar papers by the dense vectors alone: the stored endpoint vectors.
        const q = (await store.papers.getPaper('arxiv:2501.00013'))!;
        const hits = await similarToPaper(r, q.pk, { mode: 'dense', limit: 10 });
        expect(hits).toHaveLength(10);
        for (const h of hits) expect(topicOf(await arxivNumber(store, h.pk))).toBe(topicOf(13));
      } finally {
        await server.close();
      }

      // The scheduled job, in a worker with no setting either.
      await store.papers.upsertPapers(syntheticRecords(PAPERS + 40, 30), NOW);
      const runtime = new JobRuntime({ store, config, schedule: false, embedder: plain() });
      try {
        await store.jobs.enqueueJob(jobForSlot(config.jobs[0], '2025-01-02T03:00:00.000Z'), '2025-01-02T03:00:00.000Z');
        expect(await runtime.worker.runUntilIdle()).toBe(1);
      } finally {
        await runtime.stop();
      }
      const after = (await readDenseState(store))!;
      expect(after).toMatchObject({ embedder: 'openai:topics', vectors: indexed.vectors, generation: indexed.generation, spec: ep.spec });
      expect(after.model).toBeUndefined();
      expect(after.retired ?? []).toEqual([]);
      expect(await store.vectors.countVectors(indexed.vectors)).toBe(PAPERS + 70);
      const [job] = await store.jobs.listJobs({ limit: 1 });
      expect(job.state).toBe('done');
      expect(job.result).toMatchObject({ dense: { embedder: 'openai:topics', updated: 30, refit: false } });
    } finally {
      await store.close();
    }
  });

  it('is replaced only by an explicit setting, which re-embeds and says so', async () => {
    const ep = await topicEndpoint();
    const store = await indexedWithEndpoint(ep.spec);
    try {
      const indexed = (await readDenseState(store))!;
      // The default setting (built-in) keeps the endpoint model…
      const kept = await refreshIndexes(store, refreshOptionsFor(resolveEmbedder(undefined, {})));
      expect(kept.dense).toMatchObject({ embedder: 'openai:topics', refit: false });
      // …an explicit one switches, into a new generation; the old one is kept for readers until its grace ends.
      const lines: string[] = [];
      const switched = await refreshIndexes(store, { ...refreshOptionsFor(resolveEmbedder('builtin', {})), progress: (p: RefreshProgress) => p.message && lines.push(p.message) });
      expect(switched.dense).toMatchObject({ refit: true, switched: { from: 'openai:topics', to: 'builtin' } });
      expect(lines.join('\n')).toMatch(/store holds openai:topics, this process is set to the built-in model: re-embedding every paper/);
      const now = (await readDenseState(store))!;
      expect(now.model).toBeDefined();
      expect(now.retired?.map((g) => g.vectors)).toEqual([indexed.vectors]);
      expect(await store.vectors.countVectors(indexed.vectors)).toBe(PAPERS);
    } finally {
      await store.close();
    }
  });

  it('with no way to embed with the stored model, new papers wait and the vectors stay', async () => {
    const ep = await topicEndpoint();
    const store = new SqliteStore(join(tempDir(), 'radar.db'));
    try {
      await store.papers.upsertPapers(syntheticRecords(0, PAPERS), NOW);
      // An embedder built in code: no spec recorded, so another process cannot rebuild it.
      await refreshIndexes(store, { embedder: new OpenAiEmbedder({ baseUrl: ep.baseUrl, model: 'topics' }) });
      const indexed = (await readDenseState(store))!;
      expect(indexed.spec).toBeUndefined();
      await store.papers.upsertPapers(syntheticRecords(PAPERS, 10), NOW);
      const lines: string[] = [];
      const r = await refreshIndexes(store, { progress: (p) => p.message && lines.push(p.message) });
      expect(r.dense).toMatchObject({ embedder: 'openai:topics', updated: 0, refit: false, total: PAPERS });
      expect(r.dense.skipped).toMatch(/no embedder for the stored model openai:topics/);
      expect(lines.join('\n')).toMatch(/set RADAR_EMBEDDER or --embedder/);
      expect((await readDenseState(store))!.vectors).toBe(indexed.vectors);
    } finally {
      await store.close();
    }
  });
});
