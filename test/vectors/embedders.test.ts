import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../src/vectors/embedders/onnx.ts';
import { OpenAiEmbedder } from '../../src/vectors/embedders/openai.ts';
import { embedderForStored, parseEmbedderSpec } from '../../src/vectors/select.ts';
import { tempDir } from '../helpers/tmp.ts';
import { embeddingServer } from './embedding-server.ts';
import { writeTinyModel } from './tiny-onnx.ts';

/** Deterministic fake embedding: [length, vowels, 1]. */
const fake = (t: string) => [t.length, (t.match(/[aeiou]/g) ?? []).length, 1];
const ok = (body: { input: string[] }, res: ServerResponse) =>
  res
    .writeHead(200, { 'content-type': 'application/json' })
    // Answer out of order: the client must place vectors by `index`.
    .end(JSON.stringify({ object: 'list', data: body.input.map((t, index) => ({ object: 'embedding', index, embedding: fake(t) })).reverse() }));

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('OpenAI-compatible embedder (real HTTP over loopback)', () => {
  it('never sends the API key to an endpoint named only by the database', async () => {
    const srv = await embeddingServer((body, _req, res) => ok(body, res));
    const saved = process.env.RADAR_EMBEDDER_API_KEY;
    process.env.RADAR_EMBEDDER_API_KEY = 'sk-secret';
    try {
      // Configured by the user: the key goes with it.
      await (parseEmbedderSpec(`openai:${srv.baseUrl}?model=m1`) as OpenAiEmbedder).embed([{ title: 'x', abstract: '' }]);
      // Rebuilt from a spec stored with the vectors: no key.
      const rebuilt = embedderForStored({ embedder: 'openai:m2', spec: `openai:${srv.baseUrl}?model=m2` }, undefined);
      expect(rebuilt?.name).toBe('openai:m2');
      await rebuilt!.embed([{ title: 'y', abstract: '' }]);
      expect(srv.calls.map((c) => c.auth)).toEqual(['Bearer sk-secret', undefined]);
    } finally {
      if (saved === undefined) delete process.env.RADAR_EMBEDDER_API_KEY;
      else process.env.RADAR_EMBEDDER_API_KEY = saved;
    }
  });

  it('batches, sends the key, orders by index and returns unit vectors', async () => {
    const srv = await embeddingServer((body, _req, res) => ok(body, res));
    const e = new OpenAiEmbedder({ baseUrl: srv.baseUrl, model: 'nomic-embed-text', apiKey: 'sk-test', batchSize: 2, documentPrefix: 'search_document: ' });
    const docs = [
      { title: 'Grokking', abstract: 'Delayed generalisation' },
      { title: 'Neural collapse', abstract: '' },
      { title: 'Overthinking', abstract: 'Long chains of thought' },
    ];
    const out = await e.embed(docs);
    expect(srv.calls.map((c) => c.input.length)).toEqual([2, 1]);
    expect(srv.calls[0].auth).toBe('Bearer sk-test');
    expect(srv.calls[0].input[0]).toBe('search_document: Grokking\n\nDelayed generalisation');
    const expected = docs.map((d) => unit(fake(`search_document: ${d.abstract ? `${d.title}\n\n${d.abstract}` : d.title}`)));
    out.forEach((v, i) => expected[i].forEach((x, j) => expect(v[j]).toBeCloseTo(x, 5)));
    expect(e.dims).toBe(3);
    expect(e.name).toBe('openai:nomic-embed-text');
  });

  it('retries 503 and 429 (honouring Retry-After), then succeeds', async () => {
    const srv = await embeddingServer((body, _req, res, call) => {
      if (call === 1) res.writeHead(503).end('loading model');
      else if (call === 2) res.writeHead(429, { 'retry-after': '0' }).end('slow down');
      else ok(body, res);
    });
    const e = new OpenAiEmbedder({ baseUrl: srv.baseUrl, model: 'm', retryBaseMs: 1 });
    const [v] = await e.embed([{ title: 'x', abstract: '' }]);
    expect(srv.calls).toHaveLength(3);
    expect(v.length).toBe(3);
  });

  it('fails at once with the status and message on a client error, and gives up on repeated server errors', async () => {
    const srv = await embeddingServer((_b, _req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"model \\"nope\\" not found"}}'));
    const e = new OpenAiEmbedder({ baseUrl: srv.baseUrl, model: 'nope', retryBaseMs: 1 });
    await expect(e.embed([{ title: 'x', abstract: '' }])).rejects.toThrow(/answered 400.*model \\"nope\\" not found/);
    expect(srv.calls).toHaveLength(1);

    const down = await embeddingServer((_b, _req, res) => res.writeHead(500).end('boom'));
    const e2 = new OpenAiEmbedder({ baseUrl: down.baseUrl, model: 'm', retryBaseMs: 1, maxRetries: 2 });
    await expect(e2.embed([{ title: 'x', abstract: '' }])).rejects.toThrow(/answered 500.*boom.*gave up after 3 attempts/);
    expect(down.calls).toHaveLength(3);
  });

  it('rejects malformed bodies with what was wrong', async () => {
    const cases: [string, RegExp][] = [
      ['<html>oops</html>', /not JSON/],
      ['{"result": []}', /no "data" array/],
      ['{"data": [{"index": 0, "embedding": [1, "x"]}]}', /not a finite number/],
      ['{"data": []}', /0 embeddings for 1 inputs/],
      ['{"data": [{"index": 3, "embedding": [1]}]}', /bad or repeated "index"/],
    ];
    for (const [body, why] of cases) {
      const srv = await embeddingServer((_b, _req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      const e = new OpenAiEmbedder({ baseUrl: srv.baseUrl, model: 'm', retryBaseMs: 1 });
      await expect(e.embed([{ title: 'x', abstract: '' }])).rejects.toThrow(why);
      expect(srv.calls).toHaveLength(1);
    }
  });

  it('rejects a maxRetries that is not a whole number (NaN would retry forever) and honours one that is', async () => {
    for (const bad of ['abc', '-1', '1.5', '', 'Infinity']) {
      expect(() => parseEmbedderSpec(`openai:http://127.0.0.1:9/v1?model=m&maxRetries=${bad}`), bad).toThrow(/maxRetries must be a whole number ≥ 0, got "/);
    }
    expect(() => new OpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', maxRetries: Number.NaN })).toThrow(/maxRetries must be a whole number/);
    const down = await embeddingServer((_b, _req, res) => res.writeHead(503).end('still loading'));
    const e = parseEmbedderSpec(`openai:${down.baseUrl}?model=m&maxRetries=0`);
    if (e === 'builtin') throw new Error('expected an endpoint embedder');
    await expect(e.embed([{ title: 'x', abstract: '' }])).rejects.toThrow(/gave up after 1 attempts/);
    expect(down.calls).toHaveLength(1);
  });

  it('names an unreachable endpoint', async () => {
    const e = new OpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', retryBaseMs: 1, maxRetries: 1 });
    await expect(e.embed([{ title: 'x', abstract: '' }])).rejects.toThrow(/127\.0\.0\.1:9\/v1\/embeddings unreachable/);
  });
});

describe('ONNX embedder (a tiny model the test builds)', () => {
  it('tokenises, runs the graph, mean-pools and normalises', async () => {
    const dir = join(tempDir(), 'tiny-embed');
    const rows: Record<string, number[]> = { neural: [1, 0, 0, 0], collapse: [0, 1, 0, 0], grokking: [0, 0, 1, 0], reasoning: [0, 0, 0, 2] };
    writeTinyModel(dir, Object.keys(rows), (w) => rows[w]);
    const e = new OnnxEmbedder({ dir, batchSize: 2 });
    const [a, b, c] = await e.embed([
      { title: 'Neural collapse', abstract: '' },
      { title: 'Grokking', abstract: 'reasoning reasoning' },
      { title: 'neural', abstract: '' },
    ]);
    expect(e.dims).toBe(4);
    expect(e.name).toBe('onnx:tiny-embed');
    expect([...a].map((x) => +x.toFixed(5))).toEqual([0.70711, 0.70711, 0, 0]);
    // mean of [0,0,1,0], [0,0,0,2], [0,0,0,2] = [0,0,1/3,4/3] → unit
    const n = Math.hypot(1 / 3, 4 / 3);
    expect(b[2]).toBeCloseTo(1 / 3 / n, 5);
    expect(b[3]).toBeCloseTo(4 / 3 / n, 5);
    expect([...c]).toEqual([1, 0, 0, 0]);
    const q = await e.embedQuery('collapse');
    expect([...q]).toEqual([0, 1, 0, 0]);
  });

  it('says which file is missing from a model directory', async () => {
    const e = new OnnxEmbedder({ dir: join(tempDir(), 'nothing-here') });
    await expect(e.embed([{ title: 'x', abstract: '' }])).rejects.toThrow(/config\.json is missing/);
  });
});
