/**
 * The canonical text of a parsed query: what the engine understood, shown
 * above results ("Showing results for …") and usable as a query again
 * (`parseQuery(describeQuery(q))` gives back the same query).
 */
import type { Atom, AuthorFilter, Clause, ParsedQuery } from './ast.ts';

function atomText(a: Atom): string {
  const field = a.field ? `${a.field}:` : '';
  if (a.kind === 'term') return `${field}${a.word}${a.prefix ? '*' : ''}`;
  // A phrase the tokenizer made (GPT-4) reads back hyphenated, so it stays unquoted.
  if (!a.quoted) return `${field}${a.words.join('-')}${a.prefix ? '*' : ''}`;
  return `${field}"${a.words.join(' ')}${a.prefix ? '*' : ''}"`;
}

function clauseText(c: Clause): string {
  return c.kind === 'any' ? c.atoms.map(atomText).join(' OR ') : atomText(c);
}

function authorText(a: AuthorFilter): string {
  const name = a.words.join(' ') + (a.prefix ? '*' : '');
  return a.words.length > 1 ? `"${name}"` : name;
}

export function describeQuery(q: ParsedQuery): string {
  const parts: string[] = [];
  parts.push(...q.clauses.map(clauseText));
  parts.push(...q.exclude.map((a) => `-${atomText(a)}`));
  const f = q.filters;
  parts.push(...f.authors.map((a) => `author:${authorText(a)}`));
  parts.push(...f.notAuthors.map((a) => `-author:${authorText(a)}`));
  parts.push(...f.categories.map((c) => `cat:${c}`));
  parts.push(...f.notCategories.map((c) => `-cat:${c}`));
  if (f.from && f.to) parts.push(`date:${f.from}..${f.to}`);
  else if (f.from) parts.push(`date:${f.from}..`);
  else if (f.to) parts.push(`date:..${f.to}`);
  if (q.sort) parts.push(`sort:${q.sort}`);
  return parts.join(' ');
}
