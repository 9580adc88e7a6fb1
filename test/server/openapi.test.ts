import { describe, expect, it } from 'vitest';
import { testServer } from './helpers.ts';

/** Every route Fastify knows under /api, read from its own route tree (independent of the OpenAPI recorder). */
function apiRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(\S+) \(([^)]+)\)/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2];
    stack[depth] = path;
    for (const method of m[3].split(', ')) if (method !== 'HEAD' && path.startsWith('/api/')) out.push(`${method} ${path}`);
  }
  return out;
}

describe('OpenAPI document', () => {
  it('is valid-looking OpenAPI 3.1 and lists every API route with its parameters', async () => {
    const { app } = await testServer();
    await app.ready();
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const routes = apiRoutes(app.printRoutes({ commonPrefix: false }));
    expect(routes.length).toBeGreaterThan(5);
    for (const r of routes) expect(documented, `${r} is not in the OpenAPI document`).toContain(r);
    const list = doc.paths['/api/papers'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['day', 'view', 'sort', 'limit']));
    const one = doc.paths['/api/papers/{id}'].get;
    expect(one.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    for (const ops of Object.values(doc.paths as Record<string, Record<string, { summary?: string }>>)) {
      for (const op of Object.values(ops)) expect(op.summary).toBeTruthy();
    }
  });
});
