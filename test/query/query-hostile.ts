/**
 * Hostile search-box input for property-style tests: fixed nasty cases plus
 * seeded random strings mixing query syntax, FTS5 syntax, SQL, quotes,
 * emoji, control characters, odd Unicode and very long runs.
 */
import { mulberry32 } from '../../src/text/random.ts';
const FIXED = [
  '',
  ' ',
  '"',
  '""',
  '"""',
  '-',
  '--',
  '*',
  '**',
  '-*',
  '"*',
  'OR',
  'AND',
  'NOT',
  'NEAR',
  'NEAR/3',
  'NEAR(a b, 2)',
  'a OR',
  'OR a',
  'NOT NOT',
  '-"',
  '-""',
  '^title',
  '{title abstract}: x',
  'title:',
  'title:"',
  'author:',
  'author:""',
  'au:"',
  'cat:',
  'cat:...',
  'cat:cs.',
  'year:',
  'year:..',
  'year:0..9999',
  'date:2024-13-45',
  'after:yesterday',
  'sort:',
  "'; DROP TABLE papers; --",
  "1' OR '1'='1",
  'papers_fts MATCH',
  'rowid:1',
  '\u0000',
  '\u0000\u0001\u001f\u007f',
  '\ud800',
  '\udc00abc',
  'a\ud83dz',
  '🔥',
  '👩‍🔬 research',
  '\u202e\u200b\u2066',
  'ﬁne-tuning',
  'Ω≈ç√∫',
  '中文 检索',
  'مرحبا',
  '$\\alpha < \\beta$',
  '<script>alert(1)</script>',
  'x'.repeat(10_000),
  '"'.repeat(5000),
  '-'.repeat(5000),
  'a '.repeat(5000),
  'NEAR '.repeat(2000),
  '( ( ( (',
  ') ) )',
  '\\',
  '\\"',
  '%_%',
];

const PIECES = [
  'neural', 'collapse', 'grok', 'the', 'a', 'of', 'OR', 'AND', 'NOT', 'NEAR', 'near', '-', '+', '*', '"', "'", ':', '^', '{', '}', '(', ')',
  '[', ']', ',', ';', '.', '..', '/', '\\', '|', '&', '!', '~', '=', '<', '>', '%', '_', '$', '#', '@', '`', '\u0000', '\t', '\n', '\r',
  '🔥', '🤖', '\u200d', '\ud83d', 'é', 'ß', 'İ', 'ﬁ', '中', 'title:', 'author:', 'au:', 'cat:', 'year:', 'date:', 'after:', 'before:',
  'sort:', 'abstract:', 'cs.LG', '2024', '2020..2023', '2024-01..2024-06', 'DROP', 'TABLE', 'SELECT', '--', '/*', '*/', 'x*', '"a b"',
  'k-means', 'GPT-4', '\u202e', ' ', ' ', ' ',
];

export function hostileQueries(n: number, seed = 1234): string[] {
  const rand = mulberry32(seed);
  const out = [...FIXED];
  while (out.length < n) {
    const len = 1 + Math.floor(rand() * (rand() < 0.05 ? 400 : 12));
    let s = '';
    for (let i = 0; i < len; i++) {
      if (rand() < 0.15) s += String.fromCharCode(Math.floor(rand() * 0xffff));
      else s += PIECES[Math.floor(rand() * PIECES.length)];
      if (rand() < 0.5) s += ' ';
    }
    out.push(s);
  }
  return out;
}
