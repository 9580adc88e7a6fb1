/**
 * The store keys of the sparse index, and whether a store holds one: asked
 * before loading the vector modules, so a keyword search on a store without
 * indexes loads none of them.
 */
import type { ModelStore } from '../store/types.ts';

export const SPARSE_STATE = 'sparse:state';
export const SPARSE_NAMES = 'sparse:names';
/** An empty record whose meta names the saved table (`seq`, `epoch`): cheap to read. */
export const SPARSE_HEAD = 'sparse:head';

export async function hasSparseIndex(store: ModelStore): Promise<boolean> {
  // Stores saved before heads were written have the state only.
  return (await store.getModel(SPARSE_HEAD)) !== undefined || (await store.getModel(SPARSE_STATE)) !== undefined;
}
