import { describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../../../src/ingest/http/client.ts';
import { parseRetryAfter } from '../../../src/ingest/http/retry-after.ts';
import { replayServer } from './replay-server.ts';

/** A client with tiny real delays; `waits` records every back-off the client asked for. */
function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const waits: number[] = [];
  const c = new HttpClient({
    userAgent: 'PaperRadar-test/1.0 (mailto:test@example.org)',
    minIntervalMs: 0,
    timeoutMs: 2000,
    maxRetries: 3,
    baseBackoffMs: 4,
    maxBackoffMs: 16,
    random: () => 1,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
    ...extra,
  });
  return { c, waits };
}

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates', () => {
    const now = Date.parse('2025-01-06T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 06 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 06 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('HttpClient over loopback', () => {
  it('sends the User-Agent and returns the body', async () => {
    const s = await replayServer();
    s.on('/ok', { body: 'hello' });
    const { c } = client();
    const res = await c.getText(`${s.url}/ok`);
    expect(res.text).toBe('hello');
    expect(s.requests[0].headers['user-agent']).toBe('PaperRadar-test/1.0 (mailto:test@example.org)');
  });

  it('retries a 503 honouring Retry-After in seconds, then succeeds', async () => {
    const s = await replayServer();
    s.on('/busy', [{ status: 503, headers: { 'retry-after': '7' }, body: 'slow down' }, { body: 'done' }]);
    const { c, waits } = client();
    const res = await c.getText(`${s.url}/busy`);
    expect(res.text).toBe('done');
    expect(s.requestsTo('/busy')).toHaveLength(2);
    expect(waits).toContain(7000);
  });

  it('honours Retry-After given as an HTTP-date on 429', async () => {
    const s = await replayServer();
    const now = Date.parse('2025-01-06T12:00:00Z');
    s.on('/limited', [{ status: 429, headers: { 'retry-after': 'Mon, 06 Jan 2025 12:00:05 GMT' } }, { body: 'ok' }]);
    const { c, waits } = client({ now: () => now });
    await c.getText(`${s.url}/limited`);
    expect(waits).toContain(5000);
  });

  it('backs off exponentially and gives up after the bounded retries with an error naming URL and status', async () => {
    const s = await replayServer();
    s.on('/down', { status: 503 });
    const { c, waits } = client();
    const err = await c.getText(`${s.url}/down`).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toContain(`${s.url}/down`);
    expect(err.message).toContain('503');
    expect(err.status).toBe(503);
    expect(s.requestsTo('/down')).toHaveLength(4);
    expect(waits).toEqual([4, 8, 16]);
  });

  it('does not retry a 404', async () => {
    const s = await replayServer();
    s.on('/missing', { status: 404, body: 'nope' });
    const { c } = client();
    const err = await c.getText(`${s.url}/missing`).catch((e) => e);
    expect(err.status).toBe(404);
    expect(err.retryable).toBe(false);
    expect(s.requestsTo('/missing')).toHaveLength(1);
  });

  it('refuses to sleep for an unreasonable Retry-After and says so', async () => {
    const s = await replayServer();
    s.on('/later', { status: 503, headers: { 'retry-after': '86400' } });
    const { c } = client();
    const err = await c.getText(`${s.url}/later`).catch((e) => e);
    expect(err.message).toMatch(/retry after 86400 s/);
    expect(err.retryable).toBe(true);
  });

  it('times out a server that stalls after the headers, then retries', async () => {
    const s = await replayServer();
    s.on('/slow', [{ stallMs: 1500, body: 'late' }, { body: 'prompt' }]);
    const { c } = client({ timeoutMs: 200 });
    const res = await c.getText(`${s.url}/slow`);
    expect(res.text).toBe('prompt');
    expect(s.requestsTo('/slow')).toHaveLength(2);
  });

  it('reports a timeout by URL once retries run out', async () => {
    const s = await replayServer();
    s.on('/never', { delayMs: 1500 });
    const { c } = client({ timeoutMs: 100, maxRetries: 1 });
    const err = await c.getText(`${s.url}/never`).catch((e) => e);
    expect(err.message).toContain(`${s.url}/never`);
    expect(err.message).toMatch(/within 100 ms/);
  });

  it('treats a truncated body as a failure and retries', async () => {
    const s = await replayServer();
    const full = 'x'.repeat(5000);
    s.on('/cut', [{ body: full, truncateAt: 100 }, { body: full }]);
    const { c } = client();
    const res = await c.getText(`${s.url}/cut`);
    expect(res.text).toHaveLength(5000);
    expect(s.requestsTo('/cut')).toHaveLength(2);
  });

  it('spaces requests to one host by the minimum interval', async () => {
    const s = await replayServer();
    s.on('/a', { body: 'a' });
    let clock = 0;
    const waits: number[] = [];
    const c = new HttpClient({
      userAgent: 'ua',
      minIntervalMs: 3000,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    await Promise.all([c.getText(`${s.url}/a`), c.getText(`${s.url}/a`), c.getText(`${s.url}/a`)]);
    expect(waits).toEqual([3000, 3000]);
  });
});
