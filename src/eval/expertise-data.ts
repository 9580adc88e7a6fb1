/**
 * The reviewer-match data set (Stelmakh et al., "A Gold Standard Dataset for the
 * Reviewer Assignment Problem"): each researcher's own papers and their 1–5
 * expertise ratings of papers they read. Reading is strict: a record that cannot
 * be used is reported with file, line and field, and the rest is kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ExpertisePaper {
  id: string;
  title: string;
  abstract: string;
  year?: number;
}

export interface Researcher {
  participant: string;
  /** Their own papers, in file order (the data set's profile sample). */
  papers: ExpertisePaper[];
  /** Rated paper id → expertise (1–5). */
  ratings: Map<string, number>;
}

export interface ExpertiseData {
  researchers: Researcher[];
  /** Every rated paper by id. */
  papers: Map<string, ExpertisePaper>;
  problems: string[];
}

function asPaper(v: unknown): ExpertisePaper | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string' || typeof o.title !== 'string') return undefined;
  return {
    id: o.id,
    title: o.title,
    abstract: typeof o.abstract === 'string' ? o.abstract : '',
    ...(typeof o.year === 'number' ? { year: o.year } : {}),
  };
}

export function readExpertiseData(dir: string): ExpertiseData {
  const problems: string[] = [];
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (err) {
      throw new Error(`${join(dir, name)}: cannot read (${(err as Error).message}); expected the reviewer-match layout (profiles.jsonl, papers.jsonl, ratings.tsv)`);
    }
  };
  const jsonLines = (name: string) =>
    read(name)
      .split('\n')
      .map((line, i) => ({ line, at: `${name}:${i + 1}` }))
      .filter((l) => l.line.trim())
      .flatMap(({ line, at }) => {
        try {
          return [{ value: JSON.parse(line) as Record<string, unknown>, at }];
        } catch (err) {
          problems.push(`${at}: not JSON (${(err as Error).message})`);
          return [];
        }
      });

  const papers = new Map<string, ExpertisePaper>();
  for (const { value, at } of jsonLines('papers.jsonl')) {
    const p = asPaper(value);
    if (p) papers.set(p.id, p);
    else problems.push(`${at}: field id/title missing`);
  }

  const ratings = new Map<string, Map<string, number>>();
  read('ratings.tsv')
    .split('\n')
    .forEach((line, i) => {
      if (i === 0 || !line.trim()) return;
      const [participant, paper, expertise] = line.split('\t').map((s) => s.trim());
      const e = Number(expertise);
      if (!participant || !paper || !Number.isFinite(e)) {
        problems.push(`ratings.tsv:${i + 1}: expected participant, paper, numeric expertise`);
        return;
      }
      if (!papers.has(paper)) {
        problems.push(`ratings.tsv:${i + 1}: paper ${paper} not in papers.jsonl`);
        return;
      }
      let m = ratings.get(participant);
      if (!m) ratings.set(participant, (m = new Map()));
      m.set(paper, e);
    });

  const researchers: Researcher[] = [];
  for (const { value, at } of jsonLines('profiles.jsonl')) {
    const participant = String(value.participant ?? '');
    const own = Array.isArray(value.papers) ? value.papers.map(asPaper).filter((p): p is ExpertisePaper => !!p) : [];
    if (!participant || own.length === 0) {
      problems.push(`${at}: field participant/papers missing or empty`);
      continue;
    }
    const r = ratings.get(participant);
    if (!r || r.size < 2) {
      problems.push(`${at}: participant ${participant} has fewer than two ratings`);
      continue;
    }
    researchers.push({ participant, papers: own, ratings: r });
  }
  return { researchers, papers, problems };
}
