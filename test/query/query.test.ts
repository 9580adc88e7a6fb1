import { describe, expect, it } from 'vitest';
import type { ParsedQuery } from '../../src/query/ast.ts';
import { describeQuery } from '../../src/query/describe.ts';
import { MAX_CLAUSES, MAX_QUERY_CHARS, parseQuery } from '../../src/query/parse.ts';
import { hostileQueries } from './query-hostile.ts';

const q = (text: string) => parseQuery(text).query;
const codes = (text: string) => parseQuery(text).warnings.map((w) => w.code);

describe('parseQuery: constructs', () => {
  it('bare words are required terms; stop words are dropped and reported', () => {
    const p = q('the neural collapse of networks');
    expect(p.clauses).toEqual([
      { kind: 'term', word: 'neural', prefix: false },
      { kind: 'term', word: 'collapse', prefix: false },
      { kind: 'term', word: 'networks', prefix: false },
    ]);
    expect(p.ignored).toEqual(['the', 'of']);
  });

  it('keeps meaningful words that the scikit-learn stop list drops', () => {
    expect(q('recommender system').clauses.map((c) => (c.kind === 'term' ? c.word : ''))).toEqual(['recommender', 'system']);
  });

  it('folds case and accents the way the index does', () => {
    expect(q('Schrödinger NÚÑEZ').clauses).toEqual([
      { kind: 'term', word: 'schrodinger', prefix: false },
      { kind: 'term', word: 'nunez', prefix: false },
    ]);
  });

  it('quoted phrases keep their inner stop words', () => {
    expect(q('"theory of mind" agents').clauses[0]).toEqual({ kind: 'phrase', words: ['theory', 'of', 'mind'], prefix: false, quoted: true });
  });

  it('a word the tokenizer splits is a phrase (GPT-4, k-means)', () => {
    expect(q('GPT-4 k-means').clauses).toEqual([
      { kind: 'phrase', words: ['gpt', '4'], prefix: false },
      { kind: 'phrase', words: ['k', 'means'], prefix: false },
    ]);
  });

  it('exclusions: -word, -"phrase", NOT word', () => {
    const p = q('diffusion -dropout -"weight decay" NOT gan');
    expect(p.clauses).toHaveLength(1);
    expect(p.exclude).toEqual([
      { kind: 'term', word: 'dropout', prefix: false },
      { kind: 'phrase', words: ['weight', 'decay'], prefix: false, quoted: true },
      { kind: 'term', word: 'gan', prefix: false },
    ]);
  });

  it('prefixes need three letters', () => {
    expect(q('grok*').clauses[0]).toEqual({ kind: 'term', word: 'grok', prefix: true });
    expect(q('"neural coll"*').clauses[0]).toEqual({ kind: 'phrase', words: ['neural', 'coll'], prefix: true, quoted: true });
    const short = parseQuery('ab* transformers');
    expect(short.query.clauses[0]).toEqual({ kind: 'term', word: 'ab', prefix: false });
    expect(short.warnings.map((w) => w.code)).toContain('short-prefix');
  });

  it('OR joins the clauses next to it', () => {
    expect(q('lora OR adapters fine-tuning').clauses).toEqual([
      {
        kind: 'any',
        atoms: [
          { kind: 'term', word: 'lora', prefix: false },
          { kind: 'term', word: 'adapters', prefix: false },
        ],
      },
      { kind: 'phrase', words: ['fine', 'tuning'], prefix: false },
    ]);
    expect(q('a1 OR b2 OR c3').clauses).toHaveLength(1);
  });

  it('title: and abstract: restrict a word or phrase to a field', () => {
    expect(q('title:collapse abstract:"weight decay"').clauses).toEqual([
      { kind: 'term', word: 'collapse', prefix: false, field: 'title' },
      { kind: 'phrase', words: ['weight', 'decay'], prefix: false, field: 'abstract', quoted: true },
    ]);
    expect(q('-title:survey').exclude).toEqual([{ kind: 'term', word: 'survey', prefix: false, field: 'title' }]);
  });

  it('author filters, with quoted names, aliases, prefixes and exclusions', () => {
    const p = q('author:hinton au:"Geoffrey E. Hinton" author:lec* -author:"John Smith"');
    expect(p.filters.authors).toEqual([
      { words: ['hinton'], prefix: false },
      { words: ['geoffrey', 'e', 'hinton'], prefix: false },
      { words: ['lec'], prefix: true },
    ]);
    expect(p.filters.notAuthors).toEqual([{ words: ['john', 'smith'], prefix: false }]);
    expect(p.clauses).toEqual([]);
  });

  it('categories: several, comma lists, canonical casing, archives, exclusions', () => {
    const p = q('cat:cs.lg cat:STAT.ML,physics.Comp-Ph cat:hep-th cat:cs -cat:cs.CV');
    expect(p.filters.categories).toEqual(['cs.LG', 'stat.ML', 'physics.comp-ph', 'hep-th', 'cs']);
    expect(p.filters.notCategories).toEqual(['cs.CV']);
    expect(codes('cat:c$$')).toContain('bad-category');
  });

  it('years and year ranges', () => {
    expect(q('year:2024').filters).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(q('year:2020..2023').filters).toMatchObject({ from: '2020-01-01', to: '2023-12-31' });
    expect(q('year:2020-2023').filters).toMatchObject({ from: '2020-01-01', to: '2023-12-31' });
    expect(q('year:2023..2020').filters).toMatchObject({ from: '2020-01-01', to: '2023-12-31' });
    expect(q('year:2022..').filters).toMatchObject({ from: '2022-01-01' });
    expect(q('year:>=2022').filters.from).toBe('2022-01-01');
    expect(q('year:<2022').filters.to).toBe('2021-12-31');
    expect(codes('year:twenty')).toContain('bad-year');
    expect(codes('year:99999')).toContain('bad-year');
  });

  it('dates: ranges of months and days, strict after/before, inclusive since/until, intersected', () => {
    expect(q('date:2024-01..2024-06').filters).toMatchObject({ from: '2024-01-01', to: '2024-06-30' });
    expect(q('date:2024-02').filters).toMatchObject({ from: '2024-02-01', to: '2024-02-29' });
    expect(q('after:2024-01-01').filters).toEqual(expect.objectContaining({ from: '2024-01-02' }));
    expect(q('before:2025').filters).toEqual(expect.objectContaining({ to: '2024-12-31' }));
    expect(q('since:2024-03 until:2024-06-15').filters).toMatchObject({ from: '2024-03-01', to: '2024-06-15' });
    expect(q('year:2024 after:2024-06-30').filters).toMatchObject({ from: '2024-07-01', to: '2024-12-31' });
    expect(codes('date:2024-02-30')).toContain('bad-date');
    expect(codes('after:2025-01-01 before:2024-01-01')).toContain('empty-dates');
  });

  it('sort: in the query', () => {
    expect(q('llm sort:date').sort).toBe('date');
    expect(q('llm sort:popular').sort).toBe('upvotes');
    expect(codes('llm sort:sideways')).toContain('bad-sort');
  });

  it('an unknown field is searched as text', () => {
    expect(q('arxiv:2510.05069').clauses).toEqual([{ kind: 'phrase', words: ['arxiv', '2510', '05069'], prefix: false, quoted: true }]);
  });

  it('describeQuery reads back as the same query', () => {
    for (const text of [
      'neural collapse',
      '"theory of mind" -dropout grok* lora OR adapters',
      'title:"neural coll"* abstract:decay author:"geoffrey hinton" -author:smith cat:cs.LG -cat:cs.CV year:2020..2023 sort:upvotes',
      'GPT-4 after:2024-01-01',
      'title:GPT-4 k-means* "k means"',
    ]) {
      const first = q(text);
      const again: ParsedQuery = q(describeQuery(first));
      expect(again).toEqual(first);
    }
  });
});

describe('parseQuery: anything a person types', () => {
  it('unbalanced quotes: the phrase runs to the end, with a warning', () => {
    const r = parseQuery('"neural collapse');
    expect(r.query.clauses).toEqual([{ kind: 'phrase', words: ['neural', 'collapse'], prefix: false, quoted: true }]);
    expect(r.warnings.map((w) => w.code)).toEqual(['unbalanced-quote']);
    expect(parseQuery('author:"Geoffrey Hin').query.filters.authors).toEqual([{ words: ['geoffrey', 'hin'], prefix: false }]);
  });

  it('lone operators are ignored with a message', () => {
    for (const text of ['-', '*', 'OR', 'AND', 'NOT', 'NEAR', 'OR OR', '- * OR AND NOT NEAR']) {
      const r = parseQuery(text);
      expect(r.query.clauses).toEqual([]);
      expect(r.query.exclude).toEqual([]);
      expect(r.warnings.length, text).toBeGreaterThan(0);
    }
  });

  it('FTS5 syntax is text, not syntax', () => {
    const p = q('NEAR(neural collapse, 3) {title abstract}: ^grok col:umn');
    const words = p.clauses.flatMap((c) => (c.kind === 'term' ? [c.word] : c.kind === 'phrase' ? c.words : []));
    expect(words).toEqual(expect.arrayContaining(['neural', 'collapse', 'grok']));
  });

  it('SQL fragments are words', () => {
    const p = q("'; DROP TABLE papers; --");
    expect(p.clauses.map((c) => (c.kind === 'term' ? c.word : ''))).toEqual(['drop', 'table', 'papers']);
  });

  it('only stop words: nothing to search and a clear message', () => {
    const r = parseQuery('the of and');
    expect(r.query.clauses).toEqual([]);
    expect(r.warnings).toEqual([{ code: 'only-stop-words', message: expect.stringContaining('too common') }]);
  });

  it('10 kB queries are cut, with a warning; clause count is bounded', () => {
    const long = 'transformer attention '.repeat(500);
    const r = parseQuery(long);
    expect(r.warnings.map((w) => w.code)).toContain('too-long');
    const many = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const m = parseQuery(many);
    expect(m.query.clauses).toHaveLength(MAX_CLAUSES);
    expect(m.warnings.map((w) => w.code)).toContain('too-many-terms');
    expect(MAX_QUERY_CHARS).toBeLessThan(long.length);
  });

  it('emoji and control characters', () => {
    const r = parseQuery('🔥 diffusion\u0000\u0007\u202e models 🤖');
    expect(r.query.clauses.map((c) => (c.kind === 'term' ? c.word : ''))).toEqual(['diffusion', 'models']);
    expect(r.warnings.map((w) => w.code)).toContain('no-words');
  });

  it('never throws, and always returns well-formed words, on a battery of hostile strings', () => {
    const WORD = /^[\p{L}\p{N}]{1,64}$/u;
    for (const text of hostileQueries(1500)) {
      const r = parseQuery(text);
      for (const c of r.query.clauses) {
        const atoms = c.kind === 'any' ? c.atoms : [c];
        for (const a of atoms) for (const w of a.kind === 'term' ? [a.word] : a.words) expect(w, JSON.stringify(text)).toMatch(WORD);
      }
      expect(r.query.clauses.length).toBeLessThanOrEqual(MAX_CLAUSES);
      for (const w of r.warnings) expect(w.message.length).toBeGreaterThan(0);
    }
  });

  it('accepts non-strings without throwing', () => {
    for (const v of [undefined, null, 42, {}, ['a']]) expect(() => parseQuery(v)).not.toThrow();
  });
});
