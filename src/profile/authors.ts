/**
 * Finding a person in the corpus by name. Several people can share a name (or
 * its folded form), so the matches are split into candidates the user picks
 * from: each name variant's papers are grouped into connected components of
 * shared co-authors (two papers with a co-author in common are taken to be the
 * same person's), described by paper count, frequent co-authors, topics
 * (categories) and a sample title.
 */
import { foldText } from '../paper/normalise.ts';
import type { Store, StoredPaper } from '../store/types.ts';

export interface AuthorCandidate {
  /** 1-based number to pick with (`--author-pick N`). */
  n: number;
  name: string;
  papers: number;
  coauthors: string[];
  topics: string[];
  years: string;
  sampleTitles: string[];
  /** The papers this candidate stands for. */
  pks: number[];
}

function groupByCoauthors(name: string, papers: StoredPaper[]): StoredPaper[][] {
  const self = foldText(name);
  const parent = papers.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const byCoauthor = new Map<string, number>();
  papers.forEach((p, i) => {
    for (const a of p.authors) {
      const key = foldText(a);
      if (!key || key === self) continue;
      const j = byCoauthor.get(key);
      if (j === undefined) byCoauthor.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, StoredPaper[]>();
  papers.forEach((p, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(p);
    else groups.set(r, [p]);
  });
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

function top(counts: Map<string, number>, n: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, n)
    .map(([k]) => k);
}

export async function authorCandidates(store: Store, query: string, opts: { maxVariants?: number; maxPapers?: number } = {}): Promise<AuthorCandidate[]> {
  const variants = await store.papers.findAuthors(query, opts.maxVariants ?? 10);
  const out: AuthorCandidate[] = [];
  for (const v of variants) {
    const papers = await store.papers.papersByAuthor(v.name, opts.maxPapers ?? 500);
    for (const group of groupByCoauthors(v.name, papers)) {
      const co = new Map<string, number>();
      const cats = new Map<string, number>();
      const years: string[] = [];
      for (const p of group) {
        for (const a of p.authors) if (foldText(a) !== foldText(v.name)) co.set(a, (co.get(a) ?? 0) + 1);
        if (p.categories[0]) cats.set(p.categories[0], (cats.get(p.categories[0]) ?? 0) + 1);
        const y = p.listingDate?.slice(0, 4) ?? (p.year ? String(p.year) : undefined);
        if (y) years.push(y);
      }
      years.sort();
      out.push({
        n: 0,
        name: v.name,
        papers: group.length,
        coauthors: top(co, 5),
        topics: top(cats, 3),
        years: years.length ? (years[0] === years[years.length - 1] ? years[0] : `${years[0]}–${years[years.length - 1]}`) : '',
        sampleTitles: group.slice(0, 2).map((p) => p.title),
        pks: group.map((p) => p.pk),
      });
    }
  }
  out.sort((a, b) => b.papers - a.papers);
  out.forEach((c, i) => (c.n = i + 1));
  return out;
}

export function describeCandidate(c: AuthorCandidate): string {
  const parts = [`${c.n}. ${c.name} — ${c.papers} paper${c.papers === 1 ? '' : 's'}`];
  if (c.years) parts.push(c.years);
  if (c.topics.length) parts.push(c.topics.join(', '));
  if (c.coauthors.length) parts.push(`with ${c.coauthors.join(', ')}`);
  if (c.sampleTitles[0]) parts.push(`e.g. “${c.sampleTitles[0]}”`);
  return parts.join(' · ');
}
