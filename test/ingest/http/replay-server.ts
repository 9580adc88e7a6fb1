/**
 * A real HTTP server on loopback that replays recorded upstream responses
 * (files under test/fixtures/http/) and misbehaves on request: error statuses
 * with Retry-After, stalls, bodies cut short. It records every request so tests
 * can check what was asked, in what order, with which headers.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { PROJECT_ROOT } from '../../helpers/shared.ts';

export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'http');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait before sending anything. */
  delayMs?: number;
  /** Send the headers, then wait this long before the body (a slow server). */
  stallMs?: number;
  /** Announce the full length but send only this many bytes, then drop the connection. */
  truncateAt?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

type Responder = Reply | Reply[] | ((req: RecordedRequest) => Reply | Promise<Reply>);

export class ReplayServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: { match: (r: RecordedRequest) => boolean; responder: Responder; served: number }[] = [];
  private server!: Server;
  url = '';

  /** Routes are tried newest first; a Reply[] is served in order, its last reply repeating. */
  on(match: string | ((r: RecordedRequest) => boolean), responder: Responder): this {
    const m = typeof match === 'string' ? (r: RecordedRequest) => r.path === match : match;
    this.routes.unshift({ match: m, responder, served: 0 });
    return this;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const u = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    this.requests.push(rec);
    const route = this.routes.find((r) => r.match(rec));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${rec.path}`);
      return;
    }
    let reply: Reply;
    if (typeof route.responder === 'function') reply = await route.responder(rec);
    else if (Array.isArray(route.responder)) reply = route.responder[Math.min(route.served, route.responder.length - 1)];
    else reply = route.responder;
    route.served++;
    await send(res, reply);
  }
}

async function send(res: ServerResponse, reply: Reply) {
  if (reply.delayMs) await sleep(reply.delayMs);
  const body = Buffer.from(reply.body ?? '', 'utf8');
  const headers = { 'content-length': String(body.length), ...reply.headers };
  res.writeHead(reply.status ?? 200, headers);
  if (reply.stallMs) {
    res.flushHeaders();
    await sleep(reply.stallMs);
    if (res.destroyed) return;
  }
  if (reply.truncateAt !== undefined) {
    res.write(body.subarray(0, reply.truncateAt));
    // Give the bytes a moment to leave, then drop the connection mid-body.
    setTimeout(() => res.destroy(), 5);
    return;
  }
  res.end(body);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A started replay server, closed when the current test finishes. */
export async function replayServer(): Promise<ReplayServer> {
  const s = await new ReplayServer().start();
  onTestFinished(() => s.close());
  return s;
}
