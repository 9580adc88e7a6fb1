import { describe, expect, it } from 'vitest';
import { buildVocabulary, correctWord, editDistance, suggestQuery } from '../../src/query/suggest.ts';

const papers = [
  'Attention is all you need: the Transformer architecture',
  'Vision transformer models for images',
  'Efficient transformer attention with linear cost',
  'Diffusion models for image generation',
  'Score-based diffusion and denoising',
  'Transformers learn in context; a transformer study',
  'Grokking: generalization beyond overfitting',
  'Grokking in modular arithmetic',
  'A note on transfomer typos', // one paper's typo is not vocabulary
];
const vocab = buildVocabulary(papers);

describe('buildVocabulary', () => {
  it('counts each paper once, keeps words of 3+ letters seen in 2+ papers', () => {
    expect(vocab.df.get('transformer')).toBe(4);
    expect(vocab.df.get('diffusion')).toBe(2);
    expect(vocab.df.has('transfomer')).toBe(false);
    expect(vocab.df.has('vision')).toBe(false);
    expect(vocab.df.has('in')).toBe(false);
  });
});

describe('editDistance', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(editDistance('atention', 'attention', 2)).toBe(1);
    expect(editDistance('trasnformer', 'transformer', 2)).toBe(1);
    expect(editDistance('difusoin', 'diffusion', 2)).toBe(2);
    expect(editDistance('cat', 'dog', 1)).toBe(2);
  });
});

describe('correctWord', () => {
  it('corrects absent words to the most frequent word nearby', () => {
    expect(correctWord('transfomer', vocab)).toBe('transformer');
    expect(correctWord('difusion', vocab)).toBe('diffusion');
    expect(correctWord('grokkng', vocab)).toBe('grokking');
  });
  it('allows two edits only for words of 7+ letters', () => {
    expect(correctWord('difusoin', vocab)).toBe('diffusion');
    expect(correctWord('modles', vocab)).toBe('models'); // one transposition
    expect(correctWord('mdoles', vocab)).toBeUndefined(); // two transpositions, 6 letters
  });
  it('leaves known words and words with nothing close alone', () => {
    expect(correctWord('transformer', vocab)).toBeUndefined();
    expect(correctWord('quantum', vocab)).toBeUndefined();
  });
  it('keeps the first letter', () => {
    expect(correctWord('rransformer', vocab)).toBeUndefined();
  });
});

describe('suggestQuery', () => {
  it('returns the corrected query, or undefined when nothing changes', () => {
    expect(suggestQuery('efficient transfomer atention', vocab)).toBe('efficient transformer attention');
    expect(suggestQuery('transformer attention', vocab)).toBeUndefined();
  });
  it('keeps phrases, fields, exclusions, prefixes and operators as typed', () => {
    expect(suggestQuery('"transfomer atention" transfomer cat:cs.LG -difusion grokin* OR author:transfomer', vocab)).toBe(
      '"transfomer atention" transformer cat:cs.LG -difusion grokin* OR author:transfomer',
    );
  });
  it('matches regardless of case', () => {
    expect(suggestQuery('Transfomer', vocab)).toBe('transformer');
  });
});
