/**
 * Splits query text into tokens: words, quoted phrases and `field:value`
 * pairs, each possibly negated. Never fails: an unclosed quote runs to the end
 * (and says so), anything unrecognised is a plain word.
 */

export type Token =
  | { kind: 'word'; text: string; neg: boolean }
  | { kind: 'phrase'; text: string; neg: boolean; prefix: boolean; closed: boolean }
  | { kind: 'field'; name: string; value: string; quoted: boolean; neg: boolean; closed: boolean };

/** Characters people paste for quotes. */
const QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02]/g;
/** Control and format characters (and lone surrogates) become spaces. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]|[\ud800-\udfff]/gu;

/** Cleans the raw text: NFC, no control characters, one kind of double quote. */
export function cleanQueryText(raw: string): string {
  // Lone surrogates first (String.prototype.normalize keeps them, regexes with /u skip them).
  const wellFormed = raw.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ');
  return wellFormed.normalize('NFC').replace(INVISIBLE, ' ').replace(QUOTES, '"');
}

const isSpace = (c: string) => /\s/u.test(c) || c === '(' || c === ')';
const FIELD_HEAD = /^([A-Za-z]+):$/;

export function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  const readQuoted = (): { text: string; closed: boolean } => {
    // text[i] is the opening quote.
    const end = text.indexOf('"', i + 1);
    const closed = end >= 0;
    const body = text.slice(i + 1, closed ? end : n);
    i = closed ? end + 1 : n;
    return { text: body, closed };
  };
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    let neg = false;
    if ((c === '-' || c === '+') && i + 1 < n && !isSpace(text[i + 1])) {
      neg = c === '-';
      i++;
    }
    if (text[i] === '"') {
      const q = readQuoted();
      const prefix = text[i] === '*';
      if (prefix) i++;
      out.push({ kind: 'phrase', text: q.text, neg, prefix, closed: q.closed });
      continue;
    }
    let j = i;
    while (j < n && !isSpace(text[j]) && text[j] !== '"') j++;
    const word = text.slice(i, j);
    i = j;
    const head = FIELD_HEAD.exec(word);
    if (head && text[i] === '"') {
      const q = readQuoted();
      // `author:"Hin*"`: a star right after the closing quote belongs to the value.
      let value = q.text;
      if (text[i] === '*') {
        value += '*';
        i++;
      }
      out.push({ kind: 'field', name: head[1].toLowerCase(), value, quoted: true, neg, closed: q.closed });
      continue;
    }
    const field = /^([A-Za-z]+):(.*)$/s.exec(word);
    if (field) {
      out.push({ kind: 'field', name: field[1].toLowerCase(), value: field[2], quoted: false, neg, closed: true });
      continue;
    }
    out.push({ kind: 'word', text: word, neg });
  }
  return out;
}
