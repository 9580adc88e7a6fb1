import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../src/store/key-filter.ts';

describe('KeyFilter', () => {
  it('never says no to a key it was given, and says no to most others', () => {
    const f = new KeyFilter(50_000);
    const added = Array.from({ length: 50_000 }, (_, i) => (i % 3 ? `doi:10.1234/x.${i}` : `title:${(i * 2654435761).toString(16)}`));
    for (const k of added) f.add(k);
    expect(added.every((k) => f.mayHave(k))).toBe(true);
    let maybes = 0;
    for (let i = 0; i < 50_000; i++) if (f.mayHave(`arxiv:2601.${String(i).padStart(5, '0')}`)) maybes++;
    // About 1% at capacity; a broken hash or probe sequence gives far more.
    expect(maybes / 50_000).toBeLessThan(0.03);
    expect(f.added).toBe(50_000);
  });
});
