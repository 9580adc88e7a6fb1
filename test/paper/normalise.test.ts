import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { matchKeys } from '../../src/paper/ids.ts';
import { ABSTRACT_KEY_WORDS, abstractKey, foldText, stripLatex } from '../../src/paper/normalise.ts';
import { describeShared, sharedPath } from '../helpers/shared.ts';

/** The plain definitions the fast paths must agree with. */
function referenceFold(text: string): string {
  return stripLatex(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
function referenceAbstractKey(abstract: string): string {
  const words = referenceFold(abstract).split(' ').filter(Boolean);
  return words.length < ABSTRACT_KEY_WORDS ? '' : words.slice(0, ABSTRACT_KEY_WORDS).join(' ');
}

const TRICKY = [
  'Plain ASCII title: with punctuation -- and numbers 3.14!',
  'Über die Stabilität von Netzen — “quoted” ﬁ ligature',
  'The $\\alpha$-nets of \\emph{Deep} {BERT} models \\cite{x}',
  'Caf\\\'e and na\\"ive models',
  `${'We study $x_1$ and $x_2$ '.repeat(10)}then \\textbf{bold claims} follow in a long tail of words that goes on and on.`,
  `${'$a$ , $b$ ; '.repeat(40)} and only then the words arrive one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four.`,
  `An abstract whose cut falls in \\emph{the middle of a long emphasised phrase that keeps going ${'word '.repeat(60)}} and then ends.`,
  `Tabs\tand\nnewlines ${'spread the words across lines\n'.repeat(12)}`,
];

describe('text folding fast paths', () => {
  it('fold exactly as the plain definition', () => {
    for (const t of TRICKY) expect(foldText(t), t).toBe(referenceFold(t));
  });

  it('key abstracts by their opening exactly as folding the whole abstract would', () => {
    for (const t of TRICKY) expect(abstractKey(t), t).toBe(referenceAbstractKey(t));
  });

  it('give a truncated snippet the key of the full abstract', () => {
    const full = `Supervised learning can be viewed as distilling relevant information from input data into feature representations. ${'This process becomes difficult when supervision is noisy. '.repeat(5)}`;
    const snippet = full.slice(0, 200);
    expect(matchKeys({ abstract: snippet }).at(-1)).toBe(matchKeys({ abstract: full }).at(-1));
  });
});

describeShared('abstract keys on real abstracts', [sharedPath('data', 'arxiv-daily', 'papers.jsonl.gz')], () => {
  it('match the plain definition on 5,000 arXiv abstracts', async () => {
    const lines: string[] = [];
    const rl = createInterface({ input: createReadStream(sharedPath('data', 'arxiv-daily', 'papers.jsonl.gz')).pipe(createGunzip()) });
    for await (const line of rl) if (lines.push(line) >= 5000) break;
    rl.close();
    for (const line of lines) {
      const { abstract, title } = JSON.parse(line) as { abstract: string; title: string };
      expect(abstractKey(abstract)).toBe(referenceAbstractKey(abstract));
      expect(foldText(title)).toBe(referenceFold(title));
    }
  });
});
