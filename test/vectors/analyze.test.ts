import { describe, expect, it } from 'vitest';
import { analyze, combineHash, forEachTerm, hashString, termHash, termText, wordRuns, DEFAULT_ANALYZER } from '../../src/vectors/analyze.ts';
import { terms } from '../../src/text/tokenize.ts';

const SAMPLES = [
  'Towards Understanding Neural Collapse: The Effects of Batch Normalization and Weight Decay',
  'Über die Möglichkeit — naïve café résumé; ﬁne-tuning (ligature) of LLMs! x² and 𝑥 math letters 🙂 emoji',
  'We study grokking.\n\nA new paragraph starts here: with a colon, and 3.5 decimals, e.g. v2.1',
  'Le modèle ÉNORME à 12 couches; İstanbul ΣΙΣΥΦΟΣ',
  '',
  'a I x — single letters and stop words only the of',
];

describe('analyzer', () => {
  it('produces exactly the shared tokenizer’s stemmed content words', () => {
    for (const s of SAMPLES) expect(wordRuns(s).flat().map((w) => w.stem)).toEqual(terms(s));
  });

  it('splits n-gram runs at sentence ends and blank lines, not at decimals', () => {
    const runs = wordRuns('We study grokking.\n\nA new paragraph: with 3.5 decimals').map((r) => r.map((w) => w.stem));
    expect(runs).toEqual([['studi', 'grok'], ['new', 'paragraph'], ['decim']]);
    expect(analyze({ title: 'Neural collapse', abstract: 'Deep networks. Collapse happens' })).toEqual([
      'neural', 'collaps', 'neural collaps', 'deep', 'network', 'deep network', 'collaps', 'happen', 'collaps happen',
    ]);
  });

  it('repeats title terms and keeps whole author names as single features', () => {
    const t = analyze({ title: 'Grokking', abstract: 'Delayed generalisation', authors: ['Alethea Power', 'Yuri Burda'] }, {
      ...DEFAULT_ANALYZER,
      fields: ['title', 'abstract', 'authors'],
      titleRepeat: 2,
    });
    expect(t).toEqual(['grok', 'grok', 'delai', 'generalis', 'delai generalis', '@alethea_power', '@yuri_burda']);
  });

  it('hashes an n-gram the same from its words as from its text', () => {
    const seen: [number, string][] = [];
    forEachTerm({ title: 'neural collapse theory', abstract: '' }, { ...DEFAULT_ANALYZER, ngramMax: 3 }, (h, _single, run, at, len) => seen.push([h, termText(run, at, len)]));
    for (const [h, text] of seen) expect(termHash(text)).toBe(h);
    expect(termHash('neural collaps')).toBe(combineHash(hashString('neural'), hashString('collaps')));
    expect(termHash('neural collaps')).not.toBe(termHash('collaps neural'));
  });
});
