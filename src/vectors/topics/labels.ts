/**
 * Topic labels: the terms that set a topic apart from the corpus.
 *
 * A term's score in a topic is its share of the topic's papers times the log
 * of how much more often it occurs there than in the corpus (its contribution
 * to the KL divergence of the topic from the corpus): frequent-everywhere
 * words ("model", "propos") score near zero, and a term in three papers of a
 * thousand cannot win however rare it is elsewhere. Phrases (bigrams) get a
 * small bonus, because "graph neural" says more than "graph" and "neural".
 *
 * Terms are the sparse index's stemmed terms; `surface` turns a stem back into
 * the word form most seen in the topic's papers, for a readable label.
 */
import { isStopWord, stem, words } from '../../text/tokenize.ts';

export interface TermStats {
  /** Papers in the topic's sample holding the term, by feature id. */
  df: Map<number, number>;
  /** Papers in the topic's sample. */
  n: number;
}

export interface LabelInput {
  topic: TermStats;
  /** Corpus document frequency by feature id, and papers in the corpus. */
  corpusDf: (id: number) => number;
  corpusN: number;
  /** Readable (stemmed) term of an id; ids without one are not shown. */
  name: (id: number) => string | undefined;
}

export interface LabelTerm {
  term: string;
  score: number;
}

const PHRASE_BONUS = 1.5;

export function distinctiveTerms(input: LabelInput, limit = 10): LabelTerm[] {
  const { topic, corpusN } = input;
  if (topic.n === 0) return [];
  const minDf = Math.max(2, Math.ceil(topic.n * 0.03));
  const out: LabelTerm[] = [];
  for (const [id, df] of topic.df) {
    if (df < minDf) continue;
    const term = input.name(id);
    if (!term || term.startsWith('@') || /^\d+$/.test(term)) continue;
    const pIn = df / topic.n;
    const pAll = Math.max(input.corpusDf(id), df) / Math.max(corpusN, topic.n);
    if (pIn <= pAll) continue;
    const phrase = term.includes(' ');
    out.push({ term, score: pIn * Math.log(pIn / pAll) * (phrase ? PHRASE_BONUS : 1) });
  }
  out.sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1));
  return pickDistinct(out, limit);
}

/** Drops a term already said by a better one: a word inside a chosen phrase, a phrase whose words are both chosen. */
function pickDistinct(ranked: LabelTerm[], limit: number): LabelTerm[] {
  const chosen: LabelTerm[] = [];
  const words = new Set<string>();
  for (const t of ranked) {
    if (chosen.length >= limit) break;
    const parts = t.term.split(' ');
    if (parts.length === 1 && words.has(t.term)) continue;
    if (parts.length > 1 && parts.every((w) => words.has(w))) continue;
    if (parts.length > 1) {
      // A phrase overlapping a chosen phrase by a word ("neural network" after "graph neural") adds little.
      const overlap = chosen.some((c) => c.term.includes(' ') && c.term.split(' ').some((w) => parts.includes(w)));
      if (overlap) continue;
    }
    chosen.push(t);
    for (const w of parts) words.add(w);
  }
  // A single word chosen before the phrase that contains it goes: the phrase says it.
  return chosen.filter((c) => c.term.includes(' ') || !chosen.some((o) => o !== c && o.term.includes(' ') && o.term.split(' ').includes(c.term)));
}

/**
 * Word forms as they appear in texts, by stemmed term: "learn" → "learning"
 * when that is the form the texts use most. Counts single words and adjacent
 * pairs, the two term lengths the sparse index names.
 */
export class SurfaceForms {
  private readonly seen = new Map<string, Map<string, number>>();

  add(text: string): void {
    const ws = words(text);
    let prev: { stem: string; word: string } | undefined;
    for (const w of ws) {
      if (isStopWord(w)) {
        prev = undefined;
        continue;
      }
      const s = stem(w);
      this.bump(s, w);
      if (prev) this.bump(`${prev.stem} ${s}`, `${prev.word} ${w}`);
      prev = { stem: s, word: w };
    }
  }

  private bump(key: string, form: string): void {
    let m = this.seen.get(key);
    if (!m) this.seen.set(key, (m = new Map()));
    m.set(form, (m.get(form) ?? 0) + 1);
  }

  /** Times a stemmed term was seen. */
  count(term: string): number {
    let n = 0;
    for (const c of this.seen.get(term)?.values() ?? []) n += c;
    return n;
  }

  /** The most common form of a stemmed term; word by word when the phrase was never seen, the term itself when nothing was. */
  form(term: string): string {
    const m = this.seen.get(term);
    if (!m) return term.includes(' ') ? term.split(' ').map((w) => this.form(w)).join(' ') : term;
    let best = term;
    let n = 0;
    for (const [f, c] of m) if (c > n || (c === n && f < best)) [best, n] = [f, c];
    return best;
  }
}

/** A label of the best `count` terms in their surface forms: "graph neural networks · molecules · drug discovery". */
export function labelOf(terms: LabelTerm[], forms: SurfaceForms, count = 3): string {
  const shown = terms.slice(0, count).map((t) => forms.form(t.term));
  return shown.length ? shown.join(' · ') : 'miscellaneous';
}
