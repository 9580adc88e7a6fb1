/**
 * Publication lists pasted from a profile page glue the author list straight
 * onto the title: `…Model MergingXiangchi Yuan, Chunhui Zhang, Zheyuan Liu et al.`
 * The split is where a letter is followed, without a space, by a capital that
 * starts a comma-separated run of names running to the end of the line; of
 * those places, the first (so the title keeps words like `SwiReasoning`
 * whose inner capital starts no valid name list).
 */

const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'da', 'di', 'du', 'del', 'della', 'la', 'le', 'bin', 'al', 'el', 'dos', 'das', 'ter', 'ten', 'zu', 'y']);

// Capitalised word, maybe hyphenated or with an apostrophe (Jean-Pierre, O'Neil, Zheng-Xin);
// Mc/Mac/De/Di/La/Le-prefixed (McDonald, DeVito); initials (J., J.-P.); words of caseless scripts.
const WORD = /^(?:(?:Mc|Mac|De|Di|La|Le|O['’]|D['’])?\p{Lu}\p{Ll}+(?:[-'’]\p{L}\p{Ll}*)*|(?:\p{Lu}\.-?)+|\p{Lu}|\p{Lo}+)$/u;

function isName(name: string): boolean {
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 6) return false;
  if (!WORD.test(words[0]) || !WORD.test(words[words.length - 1])) return false;
  return words.every((w) => WORD.test(w) || PARTICLES.has(w.toLowerCase()));
}

/** True when `text` is a comma-separated list of personal names (`A B, C D and E F`). */
export function isNameList(text: string): boolean {
  const names = text
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 && names.every(isName);
}

const ET_AL = /\s*,?\s*et\s+al\.?\s*$/i;

export interface TitleAuthors {
  title: string;
  authors?: string[];
  /** The list ended with `et al.`. */
  etAl: boolean;
}

export function splitTitleAuthors(line: string): TitleAuthors {
  const text = line.trim();
  const etAl = ET_AL.test(text);
  const body = etAl ? text.replace(ET_AL, '') : text;
  for (let i = 1; i < body.length; i++) {
    const prev = body[i - 1];
    if (/\s/.test(prev) || !/\p{Lu}/u.test(body[i])) continue;
    const rest = body.slice(i);
    if (!isNameList(rest)) continue;
    const title = body.slice(0, i).trim();
    if (!title) break;
    const authors = rest.split(/\s*,\s*(?:and\s+)?|\s+and\s+/).map((s) => s.trim()).filter(Boolean);
    return { title, authors, etAl };
  }
  return { title: text, etAl: false };
}
