/**
 * Text folding used to recognise the same paper across sources: titles and
 * abstracts arrive with different case, punctuation, LaTeX markup, ligatures
 * and accents, and we want one key for all of them.
 */

const LATEX_ACCENT = /\\[`'^"~=.uvHtcdbrk]\s*\{?([A-Za-z])\}?/g;
const LATEX_COMMAND_WITH_ARG = /\\[A-Za-z]+\*?\s*\{([^{}]*)\}/g;
const LATEX_BARE_COMMAND = /\\[A-Za-z]+\*?/g;

/** Strips LaTeX markup but keeps its text: `\emph{Deep} $\alpha$-nets` → `Deep alpha-nets`. */
export function stripLatex(text: string): string {
  let out = text.replace(LATEX_ACCENT, '$1');
  // Nested braces: unwrap innermost first, a few rounds is enough for titles.
  for (let i = 0; i < 4; i++) {
    const next = out.replace(LATEX_COMMAND_WITH_ARG, '$1');
    if (next === out) break;
    out = next;
  }
  return out
    .replace(/\\([A-Za-z]+)/g, (_m, name: string) => name)
    .replace(LATEX_BARE_COMMAND, ' ')
    .replace(/[{}$]/g, '')
    .replace(/~/g, ' ');
}

const LATEX_CHARS = /[\\{}$~]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-case, accent-free, punctuation-free, single-spaced words. */
export function foldText(text: string): string {
  // Fast paths (this runs several times per imported record): text without
  // LaTeX characters is its own stripLatex, and ASCII text needs neither
  // Unicode normalisation nor Unicode classes. The result is the same.
  const plain = LATEX_CHARS.test(text) ? stripLatex(text) : text;
  if (!NON_ASCII.test(plain)) return plain.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return plain
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The key two titles share when they name the same paper. Empty when there is no title. */
export function titleKey(title: string | undefined): string {
  return title ? foldText(title) : '';
}

/**
 * Words at the start of an abstract that identify it even when one copy is a
 * truncated snippet. Too few words and unrelated abstracts collide ("In this
 * paper we propose a novel"); 24 is past every boilerplate opening seen in the
 * seed listings while shorter than any real snippet.
 */
export const ABSTRACT_KEY_WORDS = 24;

/** Key of an abstract's opening words, or '' when the abstract is too short to identify a paper. */
export function abstractKey(abstract: string | undefined): string {
  if (!abstract) return '';
  const opening = abstractOpening(abstract);
  let words = foldText(opening).split(' ').filter(Boolean);
  if (words.length < ABSTRACT_KEY_WORDS && opening !== abstract) words = foldText(abstract).split(' ').filter(Boolean);
  if (words.length < ABSTRACT_KEY_WORDS) return '';
  return words.slice(0, ABSTRACT_KEY_WORDS).join(' ');
}

function balancedLatex(text: string): boolean {
  let depth = 0;
  let dollars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '$') dollars++;
  }
  return depth === 0 && dollars % 2 === 0;
}

/**
 * The start of an abstract that nearly always holds the key's words: up to
 * the white space after twice as many tokens (a token of punctuation
 * or a formula may fold to nothing). Folding 350 characters instead of 2,000
 * is most of an import's text work. Where the cut would split LaTeX markup
 * (folding could then differ), the whole abstract is used.
 */
function abstractOpening(abstract: string): string {
  let spaces = 0;
  let cut = -1;
  for (let i = 0; i < abstract.length; i++) {
    if (abstract.charCodeAt(i) <= 32 && ++spaces === ABSTRACT_KEY_WORDS * 2) {
      cut = i;
      break;
    }
  }
  if (cut < 0) return abstract;
  const opening = abstract.slice(0, cut);
  return LATEX_CHARS.test(opening) && !balancedLatex(opening) ? abstract : opening;
}

/** Collapses runs of whitespace (including non-breaking spaces) and trims. */
export function cleanSpaces(text: string): string {
  // Most names and titles are clean already: test before building a new string.
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** White space other than single spaces between words (JavaScript's \s, spelled out). */
const NEEDS_CLEANING = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}|^ | $/;
