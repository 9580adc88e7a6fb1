import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { checkLayers, cyclesOf, KNOWN_VIOLATIONS, LAYERS, readImports, specifiersOf, unitOf, type Import } from './layers.ts';

const SRC = join(import.meta.dirname, '..', 'src');
const edge = (from: string, to: string): Import => ({ file: `src/${from}/x.ts`, from, to });

describe('src/ follows the layer order (README "Layout")', () => {
  const imports = readImports(SRC);

  it('reads the imports of the real tree', () => {
    // A checker that found nothing would pass vacuously.
    expect(imports.length).toBeGreaterThan(100);
    expect(imports).toContainEqual(expect.objectContaining({ from: 'ingest', to: 'paper' }));
  });

  it('has no import of a unit in the same or a higher layer', () => {
    const report = checkLayers(imports);
    expect(report.upward.map((i) => `${i.file}: ${i.from} -> ${i.to}`)).toEqual([]);
  });

  it('has no folder-level import cycle', () => {
    expect(checkLayers(imports).cycles).toEqual([]);
  });

  it('lists every folder of src/ in LAYERS', () => {
    const units = new Set(LAYERS.flat());
    const seen = new Set(imports.flatMap((i) => [i.from, i.to]));
    expect([...seen].filter((u) => !units.has(u))).toEqual([]);
  });

  it('allows only violations that still occur (an emptied one must leave the list)', () => {
    const stale = KNOWN_VIOLATIONS.filter((k) => !imports.some((i) => i.from === k.from && i.to === k.to));
    expect(stale).toEqual([]);
  });
});

describe('the layer checker', () => {
  it('catches an import of a higher layer, a sibling in the same layer, and an unknown folder', () => {
    const report = checkLayers([edge('rank', 'text'), edge('store', 'rank'), edge('server', 'web'), edge('newthing', 'paper')], LAYERS, []);
    expect(report.upward.map((i) => `${i.from}->${i.to}`)).toEqual(['store->rank', 'server->web', 'newthing->paper']);
  });

  it('catches a cycle through several folders, and not a chain', () => {
    expect(cyclesOf([edge('a', 'b'), edge('b', 'c'), edge('c', 'a'), edge('c', 'd')])).toEqual([['a', 'b', 'c']]);
    expect(cyclesOf([edge('a', 'b'), edge('b', 'c')])).toEqual([]);
  });

  it('skips exactly the allow-listed edges', () => {
    const known = [
      { from: 'web', to: 'server' },
      { from: 'server', to: 'web' },
    ];
    const report = checkLayers([edge('web', 'server'), edge('server', 'web'), edge('web', 'cli')], LAYERS, known);
    expect(report.upward.map((i) => `${i.from}->${i.to}`)).toEqual(['web->cli']);
    expect(report.cycles).toEqual([]);
  });

  it('reads static, re-export, side-effect and dynamic imports, not ones in comments', () => {
    const src = [
      "import type { A } from '../a.ts';",
      'import {\n  b,\n  c,\n} from "../b.ts";',
      "export { d } from './d.ts';",
      "import './e.css';",
      "const f = await import('../f.ts');",
      "// import { g } from '../g.ts';",
      "/* import { h } from '../h.ts'; */",
    ].join('\n');
    expect(specifiersOf(src).sort()).toEqual(['../a.ts', '../b.ts', '../f.ts', './d.ts', './e.css']);
  });

  it('maps store/ files to its three parts', () => {
    expect(unitOf('store/types/search.ts')).toBe('store');
    expect(unitOf('store/search/fts.ts')).toBe('store');
    expect(unitOf('store/sqlite/store.ts')).toBe('store/sqlite');
    expect(unitOf('store/open.ts')).toBe('store/open');
    expect(unitOf('rank/query/parse.ts')).toBe('rank');
  });
});
