/**
 * A real server on a real temporary SQLite store, seeded with a handful of
 * papers the tests know by heart. `inject` for most API tests; `listen()` for
 * the tests that go over a real socket.
 */
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { PaperRecord } from '../../src/paper/types.ts';
import { buildServer } from '../../src/cli/http-app.ts';
import type { ServerServices } from '../../src/app/context.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

export const NOW = new Date('2025-10-10T12:00:00Z');

const src = (n: number): PaperRecord['source'] => ({ kind: 'manual', locator: `fixture:${n}`, seenAt: '2025-10-10T00:00:00Z' });

/** Seven papers over four days; one hostile title; one with LaTeX; one with no date. */
export const FIXTURE: PaperRecord[] = [
  {
    arxivId: '2510.00001',
    title: 'Neural Collapse under Weight Decay',
    abstract: 'We study neural collapse at the terminal phase of training with weight decay $\\lambda > 0$ and batch norm.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.LG', 'stat.ML'],
    announced: '2025-10-09',
    signals: { upvotes: 42, organization: 'Analytical Engines' },
    source: src(1),
  },
  {
    arxivId: '2510.00002',
    title: 'Latent Reasoning with Switch Tokens',
    abstract: 'Switching between latent and explicit reasoning reduces thinking length while keeping accuracy.',
    authors: ['Grace Hopper'],
    categories: ['cs.CL'],
    announced: '2025-10-09',
    signals: { upvotes: 7 },
    source: src(2),
  },
  {
    arxivId: '2510.00003',
    title: '<script>alert("x")</script> Hostile Title & Friends',
    abstract: 'An abstract with <b>markup</b> and </script> inside, which must show as text.',
    authors: ['Mallory <img src=x onerror=alert(1)>'],
    categories: ['cs.CR'],
    announced: '2025-10-08',
    source: src(3),
  },
  {
    arxivId: '2510.00004',
    title: 'Model Merging for Self-Improving Reasoners',
    abstract: 'Merging models mitigates superficial self-improvement in reasoning; we analyse why.',
    authors: ['Alan Turing', 'Barbara Liskov', 'Edsger Dijkstra'],
    categories: ['cs.CL', 'cs.LG'],
    announced: '2025-10-06',
    signals: { upvotes: 100 },
    source: src(4),
  },
  {
    arxivId: '2509.09999',
    title: 'A September Paper on Diffusion Models',
    abstract: 'Diffusion models generate images; we make them faster.',
    authors: ['Claude Shannon'],
    categories: ['cs.CV'],
    announced: '2025-09-30',
    signals: { upvotes: 3 },
    source: src(5),
  },
  {
    arxivId: '2510.00006',
    title: 'Test-Time Compute Scaling for Reasoning',
    abstract: 'Spending more test-time compute improves reasoning; we measure how much.',
    authorCount: 12,
    categories: ['cs.AI'],
    announced: '2025-10-09',
    signals: { upvotes: 15 },
    source: src(6),
  },
  {
    title: 'An Undated Workshop Paper',
    abstract: 'No date is known for this one.',
    authors: ['Donald Knuth'],
    source: src(7),
  },
];

/** `allowedHosts`: names besides loopback the server answers to (others get 421, src/http/access.ts). */
export async function testServer(opts: { seed?: boolean; services?: ServerServices; allowedHosts?: string[] } = {}) {
  const store = new SqliteStore(join(tempDir('radar-server-'), 'radar.db'), { now: () => NOW });
  if (opts.seed !== false) await store.papers.upsertPapers(FIXTURE, NOW.toISOString());
  const server = await buildServer({ store, now: () => NOW, services: opts.services, log: () => {}, allowedHosts: opts.allowedHosts });
  onTestFinished(async () => {
    await server.close();
    await store.close();
  });
  return { store, app: server.app };
}
