import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { ALL_SEEDS, describeShared } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';
import { SEARCH_FIXTURE } from '../store/search-fixture.ts';
import type { PaperRecord } from '../../src/paper/types.ts';
import { runCli } from '../helpers/cli.ts';

const run = runCli;

async function fixtureDb(): Promise<string> {
  const db = join(tempDir(), 'radar.db');
  const store = new SqliteStore(db);
  await store.papers.upsertPapers(SEARCH_FIXTURE, '2025-06-01T00:00:00Z');
  await store.close();
  return db;
}

const typoPaper = (n: number, title: string, abstract: string): PaperRecord => ({
  arxivId: `2402.0000${n}`,
  title,
  abstract,
  authors: ['Ada Lovelace'],
  categories: ['cs.LG'],
  announced: '2024-02-0' + n,
  source: { kind: 'manual', locator: `typo:${n}`, seenAt: '2025-01-01T00:00:00Z' },
});

describe('radar search: did you mean', () => {
  it('suggests the papers\' spelling for a misspelt word, on stderr, and only when it finds papers', async () => {
    const db = join(tempDir(), 'radar.db');
    const store = new SqliteStore(db);
    await store.papers.upsertPapers(
      [
        typoPaper(1, 'Attention Is All You Need', 'The transformer relies on attention alone.'),
        typoPaper(2, 'Vision Transformer', 'A transformer for images, without convolutions.'),
        typoPaper(3, 'Efficient Transformer Attention', 'Linear attention for the transformer.'),
        typoPaper(4, 'Sparse Codes', 'Dictionaries and sparse codes.'),
      ],
      '2025-06-01T00:00:00Z',
    );
    await store.close();

    const typo = await run(['search', 'transfomer', '--db', db]);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain('did you mean: transformer');

    const json = await run(['search', 'efficient', 'transfomer', '--db', db, '--json']);
    expect(json.stderr).toContain('did you mean: efficient transformer');
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);

    // Spelt right: nothing to suggest. Nothing close in the papers: no suggestion either.
    expect((await run(['search', 'transformer', '--db', db])).stderr).not.toContain('did you mean');
    expect((await run(['search', 'quantum', '--db', db])).stderr).not.toContain('did you mean');
    // A correction that would find nothing is not offered ("codes" is in one paper only, so not in the vocabulary).
    expect((await run(['search', 'cdoes', '--db', db])).stderr).not.toContain('did you mean');
  });
});

describe('radar search', () => {
  it('--json prints an array of results with id, title, score and snippet', async () => {
    const db = await fixtureDb();
    const r = await run(['search', 'grok*', '-dropout', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(hits)).toBe(true);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      id: 'arxiv:2401.00005',
      title: 'Grokked Transformers are Implicit Reasoners',
      snippet: 'Transformers that have grokked learn to reason implicitly.',
      snippetHtml: 'Transformers that have <mark>grokked</mark> learn to reason implicitly.',
      authors: ['Bob Hinton'],
      date: '2024-05-20',
      categories: ['cs.CL'],
    });
    expect(typeof hits[0].score).toBe('number');
  });

  it('human output on stderr: rank, id, title, date and the snippet with hits marked', async () => {
    const db = await fixtureDb();
    const r = await run(['search', 'neural', 'collapse', '--limit', '2', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1–2 of 5 for neural collapse');
    expect(r.stderr).toMatch(/ {2}1\. \*Neural Collapse\* under Weight Decay/);
    expect(r.stderr).toContain('arxiv:2401.00001 · 2024-03-15');
    expect(r.stderr).toContain('*collapse*');
  });

  it('sorts, and says what it did with odd input instead of failing', async () => {
    const db = await fixtureDb();
    const sorted = JSON.parse((await run(['search', 'collapse', '--sort', 'date', '--db', db, '--json'])).stdout) as { title: string }[];
    expect(sorted[0].title).toBe('Collapse of Neural Networks under Label Noise');
    const odd = await run(['search', '"unbalanced', 'NEAR', "'; DROP TABLE papers; --", '--db', db, '--json']);
    expect(odd.code).toBe(0);
    expect(JSON.parse(odd.stdout)).toEqual([]);
    expect(odd.stderr).toContain('note: a quote is not closed');
  });

  it('rejects bad options with a clear message and exit status', async () => {
    const db = await fixtureDb();
    for (const args of [
      ['--limit', '0'],
      ['--limit', 'ten'],
      ['--sort', 'sideways'],
      ['--offset', '-1'],
    ]) {
      const r = await run(['search', 'collapse', ...args, '--db', db]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/radar: --(limit|sort|offset)/);
    }
  });
});

describeShared('radar search on the seed corpus', ALL_SEEDS, () => {
  it('"neural collapse" puts the four neural-collapse papers first; quoted and one-paper queries are not padded; similar to SwiReasoning is reasoning efficiency', async () => {
    const db = join(tempDir(), 'radar.db');
    const imported = await run(['import', ...ALL_SEEDS, '--db', db]);
    expect(imported.code).toBe(0);
    const r = await run(['search', 'neural collapse', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as { title: string; score: number }[];
    // The four papers about neural collapse in the seeds (000_… and 001_…), found by reading the files.
    expect(new Set(hits.slice(0, 4).map((h) => h.title))).toEqual(
      new Set([
        'Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight Decay',
        'Perturbation Analysis of Neural Collapse',
        'Neural Collapse in Deep Linear Networks: From Balanced to Imbalanced Data',
        'Linguistic Collapse: Neural Collapse in (Large) Language Models',
      ]),
    );
    // The paper that only mentions "neural collapse theory" in its abstract follows them.
    expect(hits[4].title).toBe('Dual-Head Knowledge Distillation: Enhancing Logits Utilization with an Auxiliary Head');
    // Quoted, only the papers with the phrase: the semantic side re-orders them and adds none.
    const quoted = JSON.parse((await run(['search', '"neural collapse"', '--db', db, '--json'])).stdout) as { title: string }[];
    expect(quoted.map((h) => h.title).sort()).toEqual([...hits.slice(0, 5).map((h) => h.title)].sort());
    // A word only one paper has finds that paper alone, not it plus arbitrary ones.
    const one = JSON.parse((await run(['search', 'SwiReasoning', '--db', db, '--json'])).stdout) as { title: string }[];
    expect(one.map((h) => h.title)).toEqual(['SwiReasoning: Switch-Thinking in Latent and Explicit for Pareto-Superior Reasoning LLMs']);

    // radar similar on SwiReasoning (latent/explicit switching for token-efficient reasoning):
    // papers on thinking length, latent reasoning and test-time compute, read off the seed pages.
    const sim = await run(['similar', (JSON.parse((await run(['search', 'SwiReasoning', '--db', db, '--json'])).stdout) as { id: string }[])[0].id, '--db', db, '--json']);
    expect(sim.code).toBe(0);
    const top10 = (JSON.parse(sim.stdout) as { title: string; score: number }[]).map((h) => h.title);
    expect(top10).toHaveLength(10);
    const efficiency = [
      'Aware First, Think Less: Dynamic Boundary Self-Awareness Drives Extreme Reasoning Efficiency in Large Language Models',
      "Don't Think Longer, Think Wisely: Optimizing Thinking Dynamics for Large Reasoning Models",
      'Implicit Reasoning in Large Language Models: A Comprehensive Survey',
      'Seek in the Dark: Reasoning via Test-Time Instance-Level Policy Gradient in Latent Space',
      'A*-Decoding: Token-Efficient Inference Scaling',
      'Stable Reinforcement Learning for Efficient Reasoning',
    ];
    expect(top10.filter((t) => efficiency.includes(t)).length).toBeGreaterThanOrEqual(5);
    expect(top10.slice(0, 3).every((t) => efficiency.includes(t))).toBe(true);
    // Nothing off-topic (vision, neural collapse) in the ten.
    expect(top10.some((t) => /collapse|diffusion|image/i.test(t))).toBe(false);
  });
});
