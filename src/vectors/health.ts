/**
 * Whether the indexes are in step with the papers, read from the little
 * records a refresh writes as it goes (no table is loaded). An index build
 * cut short (a killed process, a full disk) leaves them behind, and an import
 * of the same files changes no paper, so it is this check, not a change, that
 * tells the next import, `radar serve` and `radar doctor` to refresh.
 */
import type { Store } from '../store/types.ts';
import { readDenseState } from './generations.ts';
import { SPARSE_HEAD } from './sparse-presence.ts';

export interface IndexCheck {
  index: 'sparse' | 'dense';
  ok: boolean;
  /** What is wrong, in words; or what is there. */
  detail: string;
}

export interface IndexHealth {
  papers: number;
  checks: IndexCheck[];
  /** A refresh would bring something up to date. */
  due: boolean;
}

/** Papers the built-in dense model needs before it is fitted (as refreshIndexes' default). */
const MIN_DOCS_FOR_DENSE = 1000;

async function changedSince(store: Store, seq: number): Promise<boolean> {
  const page = await store.papers.changesSince(seq, 1);
  return page.papers.length > 0 || page.removed.length > 0;
}

export async function indexHealth(store: Store, opts: { minDocsForDense?: number } = {}): Promise<IndexHealth> {
  const papers = (await store.papers.listPapers({ sort: 'date', limit: 1 })).total;
  const checks: IndexCheck[] = [];
  const head = await store.models.getModel(SPARSE_HEAD);
  const sparseSeq = head ? Number(head.meta.seq ?? 0) : undefined;
  if (sparseSeq === undefined) {
    checks.push(papers > 0 ? { index: 'sparse', ok: false, detail: `not built for the ${papers.toLocaleString('en')} papers` } : { index: 'sparse', ok: true, detail: 'no papers yet' });
  } else if (await changedSince(store, sparseSeq)) {
    checks.push({ index: 'sparse', ok: false, detail: 'papers changed since it was last built (an index refresh was cut short?)' });
  } else checks.push({ index: 'sparse', ok: true, detail: 'up to date' });

  const dense = await readDenseState(store);
  const pending = await store.models.getModel('dense:pending');
  const halfBuilt = pending?.meta.vectors && pending.meta.vectors !== dense?.vectors;
  if (!dense) {
    const min = opts.minDocsForDense ?? MIN_DOCS_FOR_DENSE;
    if (papers >= min) checks.push({ index: 'dense', ok: false, detail: `no dense model yet for ${papers.toLocaleString('en')} papers (it is fitted from ${min.toLocaleString('en')})` });
    else checks.push({ index: 'dense', ok: true, detail: `not needed yet (fitted from ${min.toLocaleString('en')} papers)` });
  } else if (await changedSince(store, dense.seq)) {
    checks.push({ index: 'dense', ok: false, detail: `papers changed since ${dense.embedder} last embedded them (an index refresh was cut short?)` });
  } else checks.push({ index: 'dense', ok: true, detail: `${dense.embedder}, up to date` });
  if (halfBuilt) checks.push({ index: 'dense', ok: false, detail: 'a half-built generation of vectors left by an interrupted refresh' });
  return { papers, checks, due: checks.some((c) => !c.ok) };
}
