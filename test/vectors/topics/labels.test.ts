import { describe, expect, it } from 'vitest';
import { distinctiveTerms, labelOf, SurfaceForms } from '../../../src/vectors/topics/labels.ts';

const NAMES = ['model', 'graph', 'neural', 'graph neural', 'molecul', 'rare', '@jane_doe', '2024', 'drug discoveri', 'drug'];

/** A corpus of 1000 papers; the topic (100 papers) is about graph neural networks for molecules. */
function input(topicDf: Record<string, number>, corpusDf: Record<string, number>) {
  const id = (t: string) => NAMES.indexOf(t);
  return {
    topic: { df: new Map(Object.entries(topicDf).map(([t, n]) => [id(t), n])), n: 100 },
    corpusDf: (i: number) => corpusDf[NAMES[i]] ?? 0,
    corpusN: 1000,
    name: (i: number) => NAMES[i],
  };
}

describe('topic labels', () => {
  it('ranks terms frequent in the topic and rare elsewhere first; common and rare-in-topic terms lose', () => {
    const terms = distinctiveTerms(
      input(
        { model: 90, molecul: 60, rare: 2, 'graph neural': 50, graph: 55, neural: 52 },
        { model: 900, molecul: 70, rare: 2, 'graph neural': 60, graph: 120, neural: 300 },
      ),
    ).map((t) => t.term);
    expect(terms.slice(0, 2).sort()).toEqual(['graph neural', 'molecul']);
    expect(terms).not.toContain('model');
    expect(terms).not.toContain('rare');
  });

  it('does not repeat a word a chosen phrase already says, and skips author names and numbers', () => {
    const terms = distinctiveTerms(
      input(
        { 'graph neural': 50, graph: 55, neural: 52, '@jane_doe': 80, '2024': 80, 'drug discoveri': 30, drug: 31 },
        { 'graph neural': 55, graph: 60, neural: 60, '@jane_doe': 80, '2024': 80, 'drug discoveri': 30, drug: 40 },
      ),
    ).map((t) => t.term);
    expect(terms).toEqual(['graph neural', 'drug discoveri']);
  });

  it('labels with the forms the texts use, not the stems', () => {
    const forms = new SurfaceForms();
    forms.add('Graph neural networks for drug discovery');
    forms.add('Drug discovery with graph neural networks and molecules');
    forms.add('Molecules, molecules everywhere');
    expect(forms.form('drug discoveri')).toBe('drug discovery');
    expect(forms.form('molecul')).toBe('molecules');
    expect(labelOf([{ term: 'molecul', score: 2 }, { term: 'drug discoveri', score: 1 }], forms)).toBe('molecules · drug discovery');
    expect(labelOf([], forms)).toBe('miscellaneous');
  });
});
