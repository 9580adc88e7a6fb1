/**
 * The layer order of src/ (README "Layout"), and the checker the layer test
 * runs over every import. Each entry of LAYERS is one layer, lowest first; a
 * unit (a folder, or a part of store/) may import only units in layers below
 * its own, never one above it nor a sibling in the same layer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

export const LAYERS: readonly (readonly string[])[] = [
  // Domain: plain data and pure functions, no I/O of their own.
  ['text'],
  ['paper'],
  ['query'],
  ['config'],
  // store/ is three layers: its contract (types, the backend-neutral search compilers), one folder per backend,
  // and open.ts choosing one. ingest sits on the contract: it writes papers through the Store interface
  // (upsertPapers, the enrich queries) but never names a backend.
  ['store'],
  ['ingest'],
  ['store/sqlite', 'store/postgres'],
  ['store/open'],
  ['vectors'],
  ['rank'],
  ['profile'],
  ['digest'],
  ['jobs'],
  ['eval'],
  // The application services both the JSON API and the pages use, then the HTTP plumbing they share.
  ['app'],
  ['http'],
  // The JSON API and the pages, side by side: neither imports the other.
  ['server', 'web'],
  ['cli'],
];

/**
 * Edges allowed to break the order for a while (during a split spanning
 * several branches, say), each with a comment saying why and until when.
 * Empty: every import under src/ follows LAYERS.
 */
export const KNOWN_VIOLATIONS: readonly { from: string; to: string }[] = [];

export interface Import {
  /** Importing file, relative to the repository root. */
  file: string;
  from: string;
  to: string;
}

/** Which unit of LAYERS a file under src/ belongs to (`src/store/sqlite/x.ts` → `store/sqlite`). */
export function unitOf(srcRelative: string): string {
  const parts = srcRelative.split(/[\\/]/);
  if (parts[0] === 'store') {
    if (parts[1] === 'sqlite' || parts[1] === 'postgres') return `store/${parts[1]}`;
    if (parts[1] === 'open.ts') return 'store/open';
    return 'store';
  }
  return parts.length > 1 ? parts[0] : '(root)';
}

// import … from '…', export … from '…', import '…', import('…'); comments removed first.
const SPECIFIERS = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];

export function specifiersOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const re of SPECIFIERS) for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every relative import between two different units under `srcDir`. */
export function readImports(srcDir: string): Import[] {
  const out: Import[] = [];
  for (const file of sourceFiles(srcDir)) {
    const from = unitOf(relative(srcDir, file));
    for (const spec of specifiersOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = relative(srcDir, normalize(join(dirname(file), spec)));
      if (target.startsWith('..')) continue;
      const to = unitOf(target.split(sep).join('/'));
      if (to !== from) out.push({ file: relative(join(srcDir, '..'), file), from, to });
    }
  }
  return out;
}

export interface LayerReport {
  /** Imports of a unit in the same or a higher layer, or of a unit LAYERS does not list. */
  upward: Import[];
  /** Groups of units that import each other, directly or through others. */
  cycles: string[][];
}

const isKnown = (i: { from: string; to: string }, known: readonly { from: string; to: string }[]) =>
  known.some((k) => k.from === i.from && k.to === i.to);

export function checkLayers(imports: Import[], layers = LAYERS, known = KNOWN_VIOLATIONS): LayerReport {
  const level = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((u) => level.set(u, i)));
  const counted = imports.filter((i) => !isKnown(i, known));
  const upward = counted.filter((i) => {
    const a = level.get(i.from);
    const b = level.get(i.to);
    return a === undefined || b === undefined || b >= a;
  });
  return { upward, cycles: cyclesOf(counted) };
}

/** Strongly connected components with more than one unit (Tarjan). */
export function cyclesOf(imports: { from: string; to: string }[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const i of imports) {
    if (!next.has(i.from)) next.set(i.from, new Set());
    if (!next.has(i.to)) next.set(i.to, new Set());
    next.get(i.from)!.add(i.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}
