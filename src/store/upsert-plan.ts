/**
 * Decides what a batch of records does to the store: which papers are new,
 * which change, which stored papers turn out to be one. Pure, so SQLite and
 * PostgreSQL apply exactly the same merge rules; the backend only loads the
 * papers the batch's keys point at and writes the plan back.
 */
import { matchKeys } from '../paper/ids.ts';
import { contentFingerprint, emptyPaper, mergePapers, mergeRecord } from '../paper/merge.ts';
import type { Paper, PaperRecord } from '../paper/types.ts';
import type { ImportCounts, RecordOutcome } from './types.ts';

export interface LoadedPaper {
  pk: number;
  paper: Paper;
  titleRank: number;
  fingerprint: string;
}

/** A paper as the plan leaves it. `pk` is negative for papers this batch creates. */
export interface PlannedPaper {
  pk: number;
  paper: Paper;
  titleRank: number;
  /** Keys to add (existing keys are never removed: old ids stay resolvable). */
  keys: Set<string>;
  isNew: boolean;
  changed: boolean;
  /** `contentFingerprint(paper)` when the plan computed it ('' when not). */
  fingerprint?: string;
}

export interface UpsertPlan {
  papers: PlannedPaper[];
  /** Stored papers folded into another: move their references, then delete them. */
  absorbed: { from: number; into: number }[];
  /** Provenance rows: which record said what about which (planned) paper. */
  provenance: { pk: number; record: PaperRecord }[];
  outcomes: (Omit<RecordOutcome, 'id' | 'pk'> & { pk: number })[];
  counts: ImportCounts;
}

/** Two papers cannot be one when they carry different arXiv ids or DOIs. */
function conflicts(a: Paper, b: { arxivId?: string; doi?: string }): boolean {
  return (!!a.arxivId && !!b.arxivId && a.arxivId !== b.arxivId) || (!!a.doi && !!b.doi && a.doi !== b.doi);
}

/** Every key a batch needs looked up before planning. */
export function keysOf(records: PaperRecord[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of matchKeys(r)) keys.add(k);
  return [...keys];
}

/**
 * @param keyIndex key → pks of stored papers, for every key in `keysOf(records)`
 * @param loaded the stored papers those pks name
 */
export function planUpsert(
  records: PaperRecord[],
  keyIndex: Map<string, number[]>,
  loaded: LoadedPaper[],
  now: string,
): UpsertPlan {
  const working = new Map<number, PlannedPaper & { fingerprint: string }>();
  for (const l of loaded) {
    working.set(l.pk, { ...l, keys: new Set(), isNew: false, changed: false });
  }
  const index = new Map<string, number[]>();
  for (const [k, pks] of keyIndex) index.set(k, [...pks]);
  const addKey = (key: string, pk: number) => {
    const list = index.get(key);
    if (!list) index.set(key, [pk]);
    else if (!list.includes(pk)) list.push(pk);
  };

  const plan: UpsertPlan = {
    papers: [],
    absorbed: [],
    provenance: [],
    outcomes: [],
    counts: { added: 0, updated: 0, unchanged: 0, merged: 0 },
  };
  let nextTemp = -1;

  for (const rec of records) {
    // Candidates in key order (arXiv id first), skipping ones whose ids contradict the record.
    const candidates: number[] = [];
    for (const key of matchKeys(rec)) {
      for (const pk of index.get(key) ?? []) {
        const w = working.get(pk);
        if (w && !candidates.includes(pk) && !conflicts(w.paper, rec)) candidates.push(pk);
      }
    }

    let target: PlannedPaper & { fingerprint: string };
    let outcome: RecordOutcome['outcome'];
    if (candidates.length === 0) {
      const pk = nextTemp--;
      const merged = mergeRecord(emptyPaper(now), -1, rec);
      target = { pk, ...merged, keys: new Set(), isNew: true, changed: true, fingerprint: '' };
      working.set(pk, target);
      outcome = 'added';
    } else {
      // Survivor: a stored paper (lowest pk, the oldest) over one created in this batch.
      const stored = candidates.filter((pk) => pk > 0).sort((a, b) => a - b);
      const survivorPk = stored[0] ?? candidates[0];
      target = working.get(survivorPk)!;
      for (const otherPk of candidates) {
        if (otherPk === survivorPk) continue;
        const other = working.get(otherPk)!;
        if (conflicts(target.paper, other.paper)) continue;
        const merged = mergePapers(target, other);
        target.paper = merged.paper;
        target.titleRank = merged.titleRank;
        target.changed = true;
        for (const k of other.keys) target.keys.add(k);
        if (other.paper.id) target.keys.add(other.paper.id);
        working.delete(otherPk);
        for (const list of index.values()) {
          const i = list.indexOf(otherPk);
          if (i >= 0) list.splice(i, 1, ...(list.includes(survivorPk) ? [] : [survivorPk]));
        }
        if (otherPk > 0) {
          plan.absorbed.push({ from: otherPk, into: survivorPk });
          plan.counts.merged++;
        }
        for (const p of plan.provenance) if (p.pk === otherPk) p.pk = survivorPk;
        for (const o of plan.outcomes) if (o.pk === otherPk) o.pk = survivorPk;
      }
      // A stored paper untouched so far in this batch still has the fingerprint it was loaded with.
      const before = target.isNew || target.changed || !target.fingerprint ? contentFingerprint(target.paper) : target.fingerprint;
      const merged = mergeRecord(target.paper, target.titleRank, rec);
      const after = contentFingerprint(merged.paper);
      const changed = after !== before;
      if (changed) {
        // An id change (abstract: → title: → arxiv:) keeps the old id as an alias.
        if (target.paper.id && merged.paper.id !== target.paper.id) target.keys.add(target.paper.id);
        target.paper = merged.paper;
        target.titleRank = merged.titleRank;
        target.changed = true;
      }
      target.fingerprint = changed ? after : before;
      outcome = changed || candidates.length > 1 ? 'updated' : 'unchanged';
    }

    if (target.isNew || target.changed) target.paper.modifiedAt = now;
    for (const k of matchKeys(target.paper)) target.keys.add(k);
    for (const k of matchKeys(rec)) target.keys.add(k);
    for (const k of target.keys) addKey(k, target.pk);
    plan.provenance.push({ pk: target.pk, record: rec });
    plan.outcomes.push({ locator: rec.source.locator, outcome, pk: target.pk });
    plan.counts[outcome]++;
  }

  const asked = new Set(keysOf(records));
  for (const w of working.values()) {
    if (!w.isNew && !w.changed) {
      // An unchanged stored paper already has the keys of its own fields; only
      // a record's key it was not yet found under (an old id, say) is new.
      for (const k of [...w.keys]) if (!asked.has(k) || keyIndex.get(k)?.includes(w.pk)) w.keys.delete(k);
    }
    if (w.isNew || w.changed || w.keys.size > 0) plan.papers.push(w);
  }
  return plan;
}
