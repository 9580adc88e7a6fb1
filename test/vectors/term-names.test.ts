import { describe, expect, it } from 'vitest';
import { TermNames } from '../../src/vectors/term-names.ts';

describe('TermNames (feature names off the heap)', () => {
  const text = Buffer.from('42\tgraph\n7\tneural network\n1000\tdiffusi\n3\t@Yann LeCun\n99\tcafé', 'utf8');

  it('reads the stored id\\tterm lines, whatever their order, and answers like the Map it replaces', () => {
    const names = new TermNames(text);
    expect(names.size).toBe(5);
    expect(names.get(7)).toBe('neural network');
    expect(names.get(3)).toBe('@Yann LeCun');
    expect(names.get(99)).toBe('café');
    expect(names.get(1000)).toBe('diffusi');
    expect(names.has(42)).toBe(true);
    expect(names.has(43)).toBe(false);
    expect(names.get(43)).toBeUndefined();
  });

  it('keeps names added after the load, and iterates over all of them (what a save writes)', () => {
    const names = new TermNames(text);
    names.set(5, 'attention');
    names.set(42, 'not a rename');
    expect(names.get(5)).toBe('attention');
    expect(names.get(42)).toBe('graph');
    expect(names.size).toBe(6);
    expect(new Map(names)).toEqual(
      new Map([
        [3, '@Yann LeCun'],
        [7, 'neural network'],
        [42, 'graph'],
        [99, 'café'],
        [1000, 'diffusi'],
        [5, 'attention'],
      ]),
    );
  });

  it('an empty or absent text is an empty table; blank and malformed lines are skipped', () => {
    expect(new TermNames().size).toBe(0);
    const names = new TermNames(Buffer.from('\n\nno tab here\n8\tok\n'));
    expect([...names]).toEqual([[8, 'ok']]);
  });
});
