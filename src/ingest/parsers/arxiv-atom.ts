/**
 * arXiv API responses (Atom 1.0 with `arxiv:` and `opensearch:` extensions),
 * as returned by `export.arxiv.org/api/query`.
 */
import { parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, ParseResult, Problem } from '../../paper/types.ts';
import { toDay } from '../text.ts';
import { dropUndefined } from '../fields.ts';
import type { ParseContext } from '../types.ts';
import { child, childrenNamed, oversizedText, textOf, xmlBreakProblem, XmlRecordReader, type XmlNode } from '../xml.ts';

export interface AtomPage {
  /** OpenSearch totals, when the feed carries them. */
  totalResults?: number;
  startIndex?: number;
  itemsPerPage?: number;
  /** The API's own error report (an entry whose id is `…/api/errors#…`). */
  error?: string;
}

export type AtomResult = ParseResult & AtomPage;

function int(node: XmlNode | undefined): number | undefined {
  const s = textOf(node);
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** One `<entry>` → a record, or a problem saying why not. */
export function atomEntryToRecord(entry: XmlNode, ctx: ParseContext): { record?: PaperRecord; problems: Problem[]; apiError?: string } {
  const locator = `${ctx.name}:${entry.line}`;
  const problems: Problem[] = oversizedText(entry).map((o) => ({
    locator,
    field: o.name,
    severity: 'warning' as const,
    message: `<${o.name}> is ${o.length.toLocaleString('en')} characters; only the first part was read`,
  }));
  const idText = textOf(child(entry, 'id'));
  if (/\/api\/errors/.test(idText)) {
    const message = textOf(child(entry, 'summary')) || textOf(child(entry, 'title')) || 'the arXiv API reported an error';
    return { problems: [{ locator, severity: 'error', message: `arXiv API error: ${message}` }], apiError: message };
  }
  const ref = parseArxivId(idText);
  const links: PaperRecord['links'] = {};
  for (const link of childrenNamed(entry, 'link')) {
    const href = link.attrs.href;
    if (!href) continue;
    if (link.attrs.title === 'pdf') links.pdf = href;
    else if (link.attrs.title === 'doi') links.doi = href;
    else if (link.attrs.rel === 'alternate') links.abs = href;
  }
  const primary = child(entry, 'primary_category')?.attrs.term;
  const categories = [primary, ...childrenNamed(entry, 'category').map((c) => c.attrs.term)].filter(
    (c): c is string => !!c,
  );
  const record: PaperRecord = {
    source: { kind: 'arxiv-api', locator, seenAt: ctx.seenAt },
    title: textOf(child(entry, 'title')) || undefined,
    abstract: textOf(child(entry, 'summary')) || undefined,
    authors: childrenNamed(entry, 'author')
      .map((a) => textOf(child(a, 'name')))
      .filter(Boolean),
    published: toDay(textOf(child(entry, 'published'))),
    updated: toDay(textOf(child(entry, 'updated'))),
    categories: categories.length ? [...new Set(categories)] : undefined,
    comment: textOf(child(entry, 'comment')) || undefined,
    journalRef: textOf(child(entry, 'journal_ref')) || undefined,
    doi: textOf(child(entry, 'doi')) || undefined,
    links: Object.keys(links).length ? links : undefined,
  };
  if (ref) {
    record.arxivId = ref.id;
    if (ref.version) record.arxivVersion = ref.version;
    // The API describes the latest version; its `published` is v1's day.
    if (ref.version && record.updated) record.versions = [{ version: ref.version, date: ref.version === 1 ? record.published : record.updated }];
  } else if (idText) {
    problems.push({ locator, field: 'id', severity: 'warning', message: `"${idText.slice(0, 80)}" is not an arXiv id` });
  }
  if (record.authors?.length === 0) record.authors = undefined;
  return { record: dropUndefined(record), problems };
}

/**
 * A streaming Atom reader: write text chunks, records come out of `emit` as
 * entries close; a malformed entry comes out as a problem and the entries
 * after it are still read.
 */
export class AtomReader {
  readonly page: AtomPage = {};
  private readonly xml: XmlRecordReader;

  constructor(ctx: ParseContext, emit: (r: { record?: PaperRecord; problems: Problem[] }) => void) {
    this.xml = new XmlRecordReader({
      records: new Set(['entry']),
      afterBreak: new Set(['totalResults', 'startIndex', 'itemsPerPage']),
      onRecord: (node) => {
        const out = atomEntryToRecord(node, ctx);
        if (out.apiError) this.page.error = out.apiError;
        emit(out);
      },
      onOther: (node) => {
        if (node.name === 'totalResults') this.page.totalResults = int(node);
        else if (node.name === 'startIndex') this.page.startIndex = int(node);
        else if (node.name === 'itemsPerPage') this.page.itemsPerPage = int(node);
      },
      onBreak: (b) => emit({ problems: [xmlBreakProblem(ctx.name, b, 'entry')] }),
    });
  }

  write(text: string): void {
    this.xml.write(text);
  }

  /** Ends the input (a file cut off inside an entry is reported through `emit`). */
  close(): void {
    this.xml.close();
  }
}

export function parseArxivAtom(text: string, ctx: ParseContext): AtomResult {
  const result: AtomResult = { records: [], problems: [] };
  const reader = new AtomReader(ctx, ({ record, problems }) => {
    if (record) result.records.push(record);
    result.problems.push(...problems);
  });
  reader.write(text);
  reader.close();
  return Object.assign(result, reader.page);
}
