import { describe, expect, it } from 'vitest';
import { applyRules, FOLLOW_BOOST, normaliseRules } from '../../src/profile/rules.ts';
import { parseSince } from '../../src/profile/window.ts';

const paper = (title: string, abstract = '', authors: string[] = [], organization?: string) => ({
  title,
  abstract,
  authors,
  signals: organization ? { organization } : {},
});

describe('profile rules', () => {
  it('excludes papers mentioning a never-keyword, as a whole word or phrase', () => {
    const rules = normaliseRules({ never: ['diffusion', ' RL '] });
    expect(applyRules(paper('Diffusion models for video'), rules).excluded).toMatch(/diffusion/);
    expect(applyRules(paper('A world model'), rules).excluded).toBeUndefined();
    expect(applyRules(paper('Offline RL with histories'), rules).excluded).toMatch(/RL/);
  });

  it('requires one must-keyword and names it as a reason', () => {
    const rules = normaliseRules({ must: ['neural collapse', 'grokking'] });
    expect(applyRules(paper('Batch norm and weight decay'), rules).excluded).toMatch(/must/);
    const hit = applyRules(paper('Understanding Neural Collapse'), rules);
    expect(hit.excluded).toBeUndefined();
    expect(hit.reasons).toEqual([{ kind: 'keyword', keyword: 'neural collapse', text: 'mentions "neural collapse"' }]);
  });

  it('boosts followed authors (accents and case folded) and organisations', () => {
    const rules = normaliseRules({ authors: ['Leyan Pan'], organizations: ['Georgia Tech'] });
    const out = applyRules(paper('X', '', ['LEYAN PAN', 'Xinyuan Cao'], 'Georgia Tech'), rules);
    expect(out.boost).toBe(2 * FOLLOW_BOOST);
    expect(out.reasons.map((r) => r.kind)).toEqual(['author', 'organization']);
    expect(applyRules(paper('X', '', ['Someone Else']), rules).boost).toBe(0);
  });

  it('rejects a cut-off that is not a number', () => {
    expect(() => normaliseRules({ cutoff: Number.NaN })).toThrow(/cutoff/);
  });
});

describe('feed windows', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('reads spans and days', () => {
    expect(parseSince('1d', now)).toEqual({ from: '2026-03-10', to: '2026-03-10' });
    expect(parseSince('7d', now)).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    expect(parseSince('2w', now).from).toBe('2026-02-25');
    expect(parseSince('2024-01-01', now)).toEqual({ from: '2024-01-01', to: '2026-03-10' });
  });
  it('says what is wrong with a bad value', () => {
    expect(() => parseSince('yesterday', now)).toThrow(/expected a span/);
    expect(() => parseSince('2026-02-30', now)).toThrow(/expected a span/);
    expect(() => parseSince('2027-01-01', now)).toThrow(/after today/);
    expect(() => parseSince('0d', now)).toThrow(/at least one day/);
  });
});
