/**
 * Dense-model generations in the store. The active one is named by ModelStore
 * `dense:state`; readers follow that record only. A refresh that changes the
 * model (a refit, another embedder) builds a new generation under names no
 * other generation ever had, switches `dense:state` to it once it is
 * complete, and keeps the replaced one for a grace period: readers in other
 * processes load the new generation in the background and go on answering
 * from the old one meanwhile, so its vectors must still be there.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/types.ts';

/** A replaced generation, dropped once `at` is older than the grace period. */
export interface RetiredGeneration {
  vectors: string;
  model?: string;
  /** When it was replaced (ISO). */
  at: string;
}

/** The active dense representation (ModelStore `dense:state`). */
export interface DenseState {
  embedder: string;
  /** VectorStore model holding this generation's vectors. */
  vectors: string;
  generation: number;
  seq: number;
  dims: number;
  /** Built-in model: papers in the store when it was fitted. */
  fittedAt?: number;
  /** Built-in model: ModelStore name of the fitted LSA. */
  model?: string;
  /** External model: the spec it was built from (select.ts), so processes without the setting can embed with it. */
  spec?: string;
  retired?: RetiredGeneration[];
}

const DENSE_STATE = 'dense:state';
/** The generation a refresh is building, so a later refresh frees it if that one died. */
const PENDING = 'dense:pending';

/** Readers keep the replaced generation this long (default 10 min: a reload at a million papers takes well under that). */
export const DEFAULT_RETIRE_AFTER_MS = 10 * 60_000;

export async function readDenseState(store: Store): Promise<DenseState | undefined> {
  const m = await store.models.getModel(DENSE_STATE);
  return m ? (m.meta as unknown as DenseState) : undefined;
}

export async function writeDenseState(store: Store, s: DenseState): Promise<void> {
  await store.models.putModel(DENSE_STATE, Buffer.alloc(0), s as unknown as Record<string, unknown>);
}

/**
 * Names for a new generation. The random tag makes them unique even if two
 * refreshes ever ran at once (the index lease prevents it; a name clash would
 * let one's cleanup delete the other's vectors).
 */
export function generationNames(embedder: string, generation: number): { vectors: string; model: string } {
  const tag = `g${generation}-${randomBytes(4).toString('hex')}`;
  return { vectors: `dense:${embedder}:${tag}`, model: `lsa:${tag}` };
}

export async function markPending(store: Store, g: { vectors: string; model?: string }): Promise<void> {
  await store.models.putModel(PENDING, Buffer.alloc(0), { vectors: g.vectors, model: g.model });
}

/** Frees what a refresh that died left half-built (never the active generation). */
export async function dropAbandoned(store: Store, active: DenseState | undefined): Promise<void> {
  const pending = await store.models.getModel(PENDING);
  const vectors = pending?.meta.vectors as string | undefined;
  if (!vectors) return;
  if (vectors !== active?.vectors) await dropGeneration(store, { vectors, model: pending!.meta.model as string | undefined });
  await store.models.putModel(PENDING, Buffer.alloc(0), {});
}

/** Points readers at `next`; `previous` is retired (kept for readers still on it), not dropped. */
export async function switchGeneration(store: Store, next: DenseState, previous: DenseState | undefined): Promise<void> {
  const retired = [...(previous?.retired ?? [])];
  if (previous) retired.push({ vectors: previous.vectors, model: previous.model, at: new Date().toISOString() });
  next.retired = retired;
  await writeDenseState(store, next);
  await store.models.putModel(PENDING, Buffer.alloc(0), {});
}

/** Drops retired generations older than `graceMs`; returns how many. */
export async function dropRetired(store: Store, state: DenseState, graceMs: number): Promise<number> {
  const cutoff = Date.now() - graceMs;
  const old = (state.retired ?? []).filter((r) => Date.parse(r.at) <= cutoff);
  if (!old.length) return 0;
  for (const r of old) await dropGeneration(store, r);
  state.retired = (state.retired ?? []).filter((r) => !old.includes(r));
  await writeDenseState(store, state);
  return old.length;
}

/** Frees a generation: its vectors, and the big blobs (the store has no delete for models, so they are emptied). */
export async function dropGeneration(store: Store, g: { vectors: string; model?: string }): Promise<void> {
  await store.vectors.deleteVectors(g.vectors);
  if (g.model) await store.models.putModel(g.model, Buffer.alloc(0), { dropped: true });
  const head = await store.models.getModel(`ann:${g.vectors}`);
  if (head) {
    const parts = Number(head.meta.parts ?? 0);
    for (let i = 0; i < parts; i++) await store.models.putModel(`ann:${g.vectors}:part:${i}`, Buffer.alloc(0), { dropped: true });
    await store.models.putModel(`ann:${g.vectors}`, Buffer.alloc(0), { dropped: true, parts: 0, seq: -1 });
  }
}
