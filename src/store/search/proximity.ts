/**
 * Proximity re-ranking: among the best keyword candidates, papers in which
 * the query's words stand next to each other ("neural collapse" typed without
 * quotes) move up, as in every good engine. It runs on the top few dozen
 * candidates only, in JavaScript with the shared tokenizer's stems, because
 * asking the full-text index to check word positions for every candidate
 * triples the cost of a query (measured: bench/search.ts); and it needs only
 * texts and corpus averages, so any store backend can use it.
 *
 * Each adjacent pair of plain query words is scored like one more BM25F
 * term (title and abstract, length-normalised) with half the summed IDF of
 * its words. The pair may have up to two stop words between its words in the
 * text, since the query dropped them ("mixture of experts").
 */
import { tokenizeWithSpans } from '../../text/highlight.ts';
import { isStopWord, stem } from '../../text/tokenize.ts';
import type { Clause } from '../../query/ast.ts';

export interface WordPair {
  a: string;
  b: string;
  /** IDF credited to the pair (half the IDFs of its words, by default). */
  idf: number;
}

export interface ProximityParams {
  k1: number;
  /** Field weights and length normalisation (b) for title and abstract. */
  title: { weight: number; b: number; avgLen: number };
  abstract: { weight: number; b: number; avgLen: number };
}

export interface Candidate {
  pk: number;
  score: number;
  title: string;
  abstract: string;
}

/** Adjacent plain words of the query (terms without prefix or field), as stems. */
export function adjacentPairs(clauses: Clause[]): { a: string; b: string; words: [string, string] }[] {
  const out: { a: string; b: string; words: [string, string] }[] = [];
  for (let i = 0; i + 1 < clauses.length; i++) {
    const x = clauses[i];
    const y = clauses[i + 1];
    if (x.kind !== 'term' || y.kind !== 'term' || x.prefix || y.prefix || x.field || y.field) continue;
    out.push({ a: stem(x.word), b: stem(y.word), words: [x.word, y.word] });
  }
  return out;
}

/** Small words a pair may have between its words ("mixture of experts" for `mixture experts`, whose `of` the query drops). */
const MAX_GAP = 2;

function pairCounts(text: string, pairs: WordPair[]): { counts: number[]; length: number } {
  const tokens = tokenizeWithSpans(text);
  const counts = pairs.map(() => 0);
  for (let i = 0; i + 1 < tokens.length; i++) {
    for (let p = 0; p < pairs.length; p++) {
      if (tokens[i].stem !== pairs[p].a) continue;
      for (let j = i + 1; j < tokens.length && j <= i + 1 + MAX_GAP; j++) {
        if (tokens[j].stem === pairs[p].b) {
          counts[p]++;
          break;
        }
        if (!isStopWord(tokens[j].folded)) break;
      }
    }
  }
  return { counts, length: tokens.length };
}

/** Adds the proximity score to each candidate and sorts best first (ties: higher pk, i.e. newer, first). */
export function proximityRerank(candidates: Candidate[], pairs: WordPair[], p: ProximityParams): { pk: number; score: number }[] {
  if (!pairs.length) return candidates.map((c) => ({ pk: c.pk, score: c.score }));
  const out = candidates.map((c) => {
    const t = pairCounts(c.title, pairs);
    const a = pairCounts(c.abstract, pairs);
    const nt = p.title.weight / (1 - p.title.b + (p.title.b * t.length) / Math.max(1, p.title.avgLen));
    const na = p.abstract.weight / (1 - p.abstract.b + (p.abstract.b * a.length) / Math.max(1, p.abstract.avgLen));
    let bonus = 0;
    pairs.forEach((pair, i) => {
      const tf = t.counts[i] * nt + a.counts[i] * na;
      if (tf > 0) bonus += (pair.idf * tf * (p.k1 + 1)) / (tf + p.k1);
    });
    return { pk: c.pk, score: c.score + bonus };
  });
  return out.sort((x, y) => y.score - x.score || y.pk - x.pk);
}
