import type { Store } from '../../src/store/types.ts';

type PartName = 'papers' | 'models' | 'vectors' | 'jobs' | 'digests' | 'profiles' | 'library' | 'search' | 'leases';
export type PartOverrides = { [K in PartName]?: Partial<Store[K]> };

/** Reads `prop` off `target`, with methods bound to it (a proxy's receiver would break private state). */
function passThrough(target: object, prop: string | symbol): unknown {
  const v = Reflect.get(target, prop);
  return typeof v === 'function' ? v.bind(target) : v;
}

/**
 * The real store with some methods of some parts replaced: for watching or
 * failing calls while every other call reaches the real database.
 */
export function withParts<S extends Store>(store: S, overrides: PartOverrides): S {
  const parts = new Map<string | symbol, object>();
  for (const [name, methods] of Object.entries(overrides) as [PartName, Record<string | symbol, unknown>][]) {
    const real = store[name] as object;
    parts.set(name, new Proxy(real, { get: (target, prop) => (prop in methods ? methods[prop] : passThrough(target, prop)) }));
  }
  return new Proxy(store, { get: (target, prop) => parts.get(prop) ?? passThrough(target, prop) });
}
