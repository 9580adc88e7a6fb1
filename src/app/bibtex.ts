/**
 * BibTeX for a collection export. arXiv papers become `@misc` entries with
 * `eprint`/`archivePrefix` (what arXiv's own export and Zotero produce);
 * papers with a venue become `@article`/`@inproceedings`. Pure.
 */
import type { Paper } from '../paper/types.ts';

/** Escapes what BibTeX treats specially, leaving LaTeX math (`$…$`) as it is. */
function field(value: string): string {
  const parts = value.split(/(\$[^$]*\$)/g);
  return parts
    .map((p, i) =>
      i % 2 === 1
        ? p
        : p
            .replace(/\\/g, '\\textbackslash{}')
            .replace(/([{}&%#_])/g, '\\$1')
            .replace(/~/g, '\\textasciitilde{}')
            .replace(/\^/g, '\\textasciicircum{}'),
    )
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function lastName(author: string): string {
  const comma = author.indexOf(',');
  const last = comma >= 0 ? author.slice(0, comma) : (author.trim().split(/\s+/).pop() ?? '');
  return last.normalize('NFKD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** `turing2025neural`: first author's last name, year, first title word of substance. */
export function citationKey(p: Paper, taken: Set<string>): string {
  const who = (p.authors[0] && lastName(p.authors[0])) || 'anon';
  const year = p.year ?? (p.published ?? p.listingDate ?? '').slice(0, 4) ?? '';
  const word =
    p.title
      .normalize('NFKD')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .find((w) => w.length > 3 && !['with', 'from', 'towards', 'toward', 'what', 'when', 'that', 'this', 'their', 'into', 'over', 'under'].includes(w)) ?? 'paper';
  const base = `${who}${year}${word}`;
  let key = base;
  for (let n = 0; taken.has(key); n++) key = `${base}${String.fromCharCode(97 + (n % 26))}${n >= 26 ? n : ''}`;
  taken.add(key);
  return key;
}

export function toBibtex(papers: Paper[]): string {
  const taken = new Set<string>();
  return papers
    .map((p) => {
      const fields: [string, string][] = [];
      fields.push(['title', `{${field(p.title || '(untitled)')}}`]);
      if (p.authors.length) fields.push(['author', `{${p.authors.map(field).join(' and ')}${p.authorsComplete ? '' : ' and others'}}`]);
      const year = p.year ?? (p.published ?? p.listingDate)?.slice(0, 4);
      if (year) fields.push(['year', `{${year}}`]);
      const type = p.arxivId && !p.venue ? 'misc' : p.journalRef || /journal|transactions/i.test(p.venue ?? '') ? 'article' : p.venue ? 'inproceedings' : 'misc';
      if (p.venue) fields.push([type === 'article' ? 'journal' : 'booktitle', `{${field(p.venue)}}`]);
      if (p.arxivId) {
        fields.push(['eprint', `{${p.arxivId}}`], ['archivePrefix', '{arXiv}']);
        if (p.categories[0]) fields.push(['primaryClass', `{${p.categories[0]}}`]);
      }
      if (p.doi) fields.push(['doi', `{${p.doi}}`]);
      const url = p.links.abs ?? (p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : p.doi ? `https://doi.org/${p.doi}` : undefined);
      if (url) fields.push(['url', `{${url}}`]);
      if (p.abstract) fields.push(['abstract', `{${field(p.abstract)}}`]);
      return `@${type}{${citationKey(p, taken)},\n${fields.map(([k, v]) => `  ${k} = ${v}`).join(',\n')}\n}\n`;
    })
    .join('\n');
}
