/**
 * TL;DRs against a loopback chat-completions server that replays recorded
 * answers: a good one, a server error, a malformed body, and one that never
 * answers (timeout). Stored on both backends; shown on the paper page without
 * ever waiting for the endpoint.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { buildServer } from '../../../src/cli/http-app.ts';
import { askTldr, cleanTldr, TldrError } from '../../../src/vectors/tldr/chat.ts';
import { TldrQueue } from '../../../src/vectors/tldr/queue.ts';
import { describeEachBackend } from '../../helpers/backends.ts';

/** What llama.cpp's server answered for a real abstract (recorded), and the error shapes seen from Ollama. */
const RECORDED = {
  ok: JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'qwen2.5-1.5b-instruct',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'TL;DR: Weight decay drives last-layer features to collapse onto a simplex, explaining neural collapse late in training.\n' } }],
    usage: { prompt_tokens: 120, completion_tokens: 24, total_tokens: 144 },
  }),
  overloaded: JSON.stringify({ error: { message: 'model is loading', type: 'unavailable_error' } }),
  noContent: JSON.stringify({ id: 'x', choices: [] }),
};

type Mode = 'ok' | 'error' | 'malformed' | 'empty' | 'hang';

async function chatServer(initial: Mode) {
  const state = { mode: initial, calls: 0, bodies: [] as unknown[], hanging: [] as ServerResponse[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      state.calls++;
      state.bodies.push(JSON.parse(body));
      if (req.url !== '/v1/chat/completions') return res.writeHead(404).end('not found');
      if (state.mode === 'hang') return void state.hanging.push(res);
      if (state.mode === 'error') return res.writeHead(503, { 'content-type': 'application/json' }).end(RECORDED.overloaded);
      if (state.mode === 'malformed') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
      if (state.mode === 'empty') return res.writeHead(200, { 'content-type': 'application/json' }).end(RECORDED.noContent);
      res.writeHead(200, { 'content-type': 'application/json' }).end(RECORDED.ok);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(async () => {
    for (const res of state.hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, state, release: () => state.hanging.splice(0).forEach((r) => r.writeHead(200, { 'content-type': 'application/json' }).end(RECORDED.ok)) };
}

const PAPER = { title: 'Neural Collapse under Weight Decay', abstract: 'We study neural collapse at the terminal phase of training with weight decay.' };

describe('chat endpoint client', () => {
  it('asks one question per paper and keeps one clean sentence', async () => {
    const s = await chatServer('ok');
    const t = await askTldr({ url: s.url, model: 'qwen', timeoutMs: 5000 }, PAPER);
    expect(t).toBe('Weight decay drives last-layer features to collapse onto a simplex, explaining neural collapse late in training.');
    const sent = s.state.bodies[0] as { model: string; messages: { role: string; content: string }[] };
    expect(sent.model).toBe('qwen');
    expect(sent.messages[1].content).toContain(PAPER.title);
  });

  it('says what went wrong: server error, malformed answer, no content, no answer in time', async () => {
    // A generous timeout where the server answers (a loaded machine is slow), a short one where it never does.
    const opts = (url: string, timeoutMs = 10_000) => ({ url, model: 'm', timeoutMs });
    const e503 = await chatServer('error');
    await expect(askTldr(opts(e503.url), PAPER)).rejects.toThrow(/HTTP 503 .*model is loading/);
    const bad = await chatServer('malformed');
    await expect(askTldr(opts(bad.url), PAPER)).rejects.toThrow(/not JSON/);
    const empty = await chatServer('empty');
    await expect(askTldr(opts(empty.url), PAPER)).rejects.toThrow(/no choices\[0\]\.message\.content/);
    const hang = await chatServer('hang');
    await expect(askTldr(opts(hang.url, 300), PAPER)).rejects.toThrow(TldrError);
    await expect(askTldr(opts(hang.url, 300), PAPER)).rejects.toThrow(/no answer within 300 ms/);
  });

  it('cleans labels, quotes and overlong answers', () => {
    expect(cleanTldr('Summary: "A thing."')).toBe('A thing.');
    expect(cleanTldr('**One line.**\nSecond line')).toBe('One line.');
    expect(cleanTldr('word '.repeat(100)).length).toBeLessThanOrEqual(300);
  });
});

describeEachBackend('TL;DR queue', (backend) => {
  it('stores a TL;DR once, records failures, and retries a failed paper only after the wait', async () => {
    let now = new Date('2025-10-10T12:00:00Z');
    const store = await backend.open();
    const [a, b] = (await store.papers.upsertPapers([
      { arxivId: '2510.00001', ...PAPER, source: { kind: 'manual', locator: 't:1', seenAt: now.toISOString() } },
      { arxivId: '2510.00002', title: 'Another', abstract: 'Another abstract about grokking.', source: { kind: 'manual', locator: 't:2', seenAt: now.toISOString() } },
    ], now.toISOString())).outcomes.map((o) => o.pk);
    const s = await chatServer('ok');
    const q = new TldrQueue(store, { url: s.url, model: 'qwen', timeoutMs: 2000, retryAfterMs: 3600_000, now: () => now });
    q.request([a]);
    await q.idle();
    expect((await store.tldrs.getTldrs([a])).get(a)).toMatchObject({ model: 'qwen', text: expect.stringContaining('neural collapse'), attempts: 1 });
    q.request([a]);
    await q.idle();
    expect(s.state.calls).toBe(1);

    s.state.mode = 'error';
    q.request([b]);
    await q.idle();
    expect((await store.tldrs.getTldrs([b])).get(b)).toMatchObject({ error: expect.stringContaining('HTTP 503'), attempts: 1 });
    expect((await store.tldrs.getTldrs([b])).get(b)?.text).toBeUndefined();
    q.request([b]);
    await q.idle();
    expect(s.state.calls).toBe(2);
    now = new Date(now.getTime() + 3600_001);
    s.state.mode = 'ok';
    q.request([b]);
    await q.idle();
    expect(s.state.calls).toBe(3);
    expect((await store.tldrs.getTldrs([b])).get(b)).toMatchObject({ text: expect.any(String), attempts: 2 });
    expect((await store.tldrs.getTldrs([b])).get(b)?.error).toBeUndefined();
  });
});

describeEachBackend('TL;DRs on pages', (backend) => {
  it('a page never waits for the endpoint: served while the request hangs, the TL;DR shows on a later visit, marked machine-generated', async () => {
    const store = await backend.open();
    const now = new Date('2025-10-10T12:00:00Z');
    await store.papers.upsertPapers([{ arxivId: '2510.00001', ...PAPER, source: { kind: 'manual', locator: 't:1', seenAt: now.toISOString() } }], now.toISOString());
    const s = await chatServer('hang');
    const queue = new TldrQueue(store, { url: s.url, model: 'qwen', timeoutMs: 60_000, retryAfterMs: 3600_000 });
    const server = await buildServer({ store, now: () => now, log: () => {}, services: { tldr: queue } });
    onTestFinished(() => server.close());
    const first = await server.app.inject({ url: '/paper/arxiv:2510.00001' });
    expect(first.statusCode).toBe(200);
    expect(first.body).not.toContain('machine-generated');
    // The page came back while the endpoint still holds the request.
    await expect.poll(() => s.state.calls).toBe(1);
    expect(s.state.hanging).toHaveLength(1);
    s.release();
    await queue.idle();
    const second = await server.app.inject({ url: '/paper/arxiv:2510.00001' });
    expect(second.body).toContain('TL;DR · machine-generated');
    expect(second.body).toContain('Weight decay drives last-layer features');
  });

  it('nothing changes without an endpoint: no TL;DR line', async () => {
    const store = await backend.open();
    const now = new Date('2025-10-10T12:00:00Z');
    await store.papers.upsertPapers([{ arxivId: '2510.00001', ...PAPER, source: { kind: 'manual', locator: 't:1', seenAt: now.toISOString() } }], now.toISOString());
    const server = await buildServer({ store, now: () => now, log: () => {} });
    onTestFinished(() => server.close());
    expect((await server.app.inject({ url: '/paper/arxiv:2510.00001' })).body).not.toContain('TL;DR');
  });
});
