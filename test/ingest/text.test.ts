import { describe, expect, it } from 'vitest';
import { endsLikeSentence, latexAccents, splitAuthorString, toDay } from '../../src/ingest/text.ts';

describe('ingest text helpers', () => {
  it('turns LaTeX accents into letters and leaves other markup alone', () => {
    expect(latexAccents("Bal\\'azs")).toBe('Balázs');
    expect(latexAccents('M{\\"u}ller and \\c{C}elik and {\\ss}trasse and Garc\\\'{\\i}a')).toBe('Müller and Çelik and ßtrasse and García');
    expect(latexAccents('\\textbf{x} and $\\alpha$')).toBe('\\textbf{x} and $\\alpha$');
  });

  it('splits author strings in the usual forms', () => {
    expect(splitAuthorString('A. Smith, B. Jones and C. Brown')).toEqual({ names: ['A. Smith', 'B. Jones', 'C. Brown'], etAl: false });
    expect(splitAuthorString('Smith, John; Doe, Jane')).toEqual({ names: ['John Smith', 'Jane Doe'], etAl: false });
    expect(splitAuthorString('Juan M. Maldacena (Harvard University), X. Y (MIT (CSAIL))')).toEqual({ names: ['Juan M. Maldacena', 'X. Y'], etAl: false });
    expect(splitAuthorString('A. Smith, B. Jones et al.')).toEqual({ names: ['A. Smith', 'B. Jones'], etAl: true });
    expect(splitAuthorString('Martin Luther King, Jr., Rosa Parks').names).toEqual(['Martin Luther King Jr.', 'Rosa Parks']);
  });

  it('reads the days sources print', () => {
    expect(toDay('2025-10-06T23:59:59-04:00')).toBe('2025-10-06');
    expect(toDay('Mon, 2 Apr 2007 19:18:42 GMT')).toBe('2007-04-02');
    expect(toDay('2025-02-30')).toBeUndefined();
    expect(toDay('2025')).toBeUndefined();
    expect(toDay('soon')).toBeUndefined();
  });

  it('tells a finished abstract from a cut-off snippet', () => {
    expect(endsLikeSentence('We release the code.')).toBe(true);
    expect(endsLikeSentence('a "final-stage bottleneck."')).toBe(true);
    expect(endsLikeSentence('Code: https://github.com/x/y')).toBe(true);
    expect(endsLikeSentence('stochastic rewards and transition')).toBe(false);
    expect(endsLikeSentence('and so on…')).toBe(false);
    expect(endsLikeSentence('and so on...')).toBe(false);
  });
});
