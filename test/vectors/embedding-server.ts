/** A real embedding endpoint on loopback for the tests (OpenAI-compatible POST /v1/embeddings). */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export type Handler = (body: { model: string; input: string[] }, req: IncomingMessage, res: ServerResponse, call: number) => void;

/** A real HTTP server on loopback answering POST /v1/embeddings with `handler`. */
export async function embeddingServer(handler: Handler): Promise<{ baseUrl: string; calls: { auth?: string; input: string[] }[] }> {
  const calls: { auth?: string; input: string[] }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (req.url !== '/v1/embeddings' || req.method !== 'POST') {
        res.writeHead(404).end('not found');
        return;
      }
      const body = JSON.parse(raw) as { model: string; input: string[] };
      calls.push({ auth: req.headers.authorization, input: body.input });
      handler(body, req, res, calls.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls };
}

