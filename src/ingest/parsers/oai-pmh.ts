/**
 * arXiv OAI-PMH responses (`ListRecords`, also `GetRecord`) in the `arXiv`
 * and `arXivRaw` metadata formats, plus what a harvester needs to go on: the
 * resumption token and OAI-PMH error codes.
 */
import { parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, PaperVersion, ParseResult, Problem } from '../../paper/types.ts';
import { cleanName, latexAccents, splitAuthorString, toDay } from '../text.ts';
import { dropUndefined } from '../fields.ts';
import type { ParseContext } from '../types.ts';
import { child, childrenNamed, oversizedText, textOf, xmlBreakProblem, XmlRecordReader, type XmlNode } from '../xml.ts';

export interface ResumptionToken {
  /** Empty string on the last page of a list ("no more records"). */
  value: string;
  cursor?: number;
  completeListSize?: number;
  expirationDate?: string;
}

export interface OaiPage {
  /** Absent when the response is a single page (no `<resumptionToken>` at all). */
  resumptionToken?: ResumptionToken;
  /** OAI-PMH `<error code="…">`: `noRecordsMatch`, `badResumptionToken`, `badArgument`, … */
  errors: { code: string; message: string }[];
  responseDate?: string;
  /** arXiv ids of records the repository reports as deleted. */
  deleted: string[];
}

export type OaiResult = ParseResult & OaiPage;

function opt(node: XmlNode | undefined): string | undefined {
  const s = textOf(node);
  return s || undefined;
}

function int(v: string | undefined): number | undefined {
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

function arxivFormat(meta: XmlNode, base: PaperRecord): PaperRecord {
  const authors = childrenNamed(child(meta, 'authors') ?? meta, 'author').map((a) => {
    const name = [opt(child(a, 'forenames')), opt(child(a, 'keyname')), opt(child(a, 'suffix'))].filter(Boolean).join(' ');
    return cleanName(name);
  });
  const created = toDay(opt(child(meta, 'created')));
  const updated = toDay(opt(child(meta, 'updated')));
  return {
    ...base,
    authors: authors.filter(Boolean),
    published: created,
    updated: updated ?? created,
    versions: created ? [{ version: 1, date: created }] : undefined,
  };
}

function arxivRawFormat(meta: XmlNode, base: PaperRecord): { record: PaperRecord; etAl: boolean } {
  const versions: PaperVersion[] = childrenNamed(meta, 'version')
    .map((v) => ({ version: Number((v.attrs.version ?? '').replace(/^v/i, '')), date: toDay(opt(child(v, 'date'))) }))
    .filter((v) => Number.isInteger(v.version) && v.version > 0)
    .map((v) => (v.date ? v : { version: v.version }));
  versions.sort((a, b) => a.version - b.version);
  const { names, etAl } = splitAuthorString(opt(child(meta, 'authors')) ?? '');
  const last = versions[versions.length - 1];
  return {
    record: {
      ...base,
      authors: names,
      signals: opt(child(meta, 'submitter')) ? { submitter: cleanName(opt(child(meta, 'submitter'))!) } : undefined,
      versions: versions.length ? versions : undefined,
      arxivVersion: last?.version,
      published: versions[0]?.date,
      updated: last?.date,
    },
    etAl,
  };
}

/** One OAI `<record>` → a record, a deletion, or problems. */
export function oaiRecordToRecord(rec: XmlNode, ctx: ParseContext): { record?: PaperRecord; deleted?: string; problems: Problem[] } {
  const locator = `${ctx.name}:${rec.line}`;
  const problems: Problem[] = oversizedText(rec).map((o) => ({
    locator,
    field: o.name,
    severity: 'warning' as const,
    message: `<${o.name}> is ${o.length.toLocaleString('en')} characters; only the first part was read`,
  }));
  const header = child(rec, 'header');
  const identifier = opt(header && child(header, 'identifier'));
  if (header?.attrs.status === 'deleted') {
    const ref = parseArxivId(identifier);
    return { deleted: ref?.id ?? identifier, problems };
  }
  const metadata = child(rec, 'metadata');
  const meta = metadata?.children[0];
  if (!meta) {
    problems.push({ locator, severity: 'error', message: `record ${identifier ?? ''} has no <metadata>`.replace('  ', ' ') });
    return { problems };
  }
  const id = opt(child(meta, 'id')) ?? identifier;
  const ref = parseArxivId(id);
  const categories = (opt(child(meta, 'categories')) ?? '').split(/\s+/).filter(Boolean);
  const base: PaperRecord = {
    source: { kind: 'arxiv-oai', locator, seenAt: ctx.seenAt },
    arxivId: ref?.id ?? id,
    title: latexAccents(opt(child(meta, 'title')) ?? '') || undefined,
    abstract: latexAccents(opt(child(meta, 'abstract')) ?? '') || undefined,
    categories: categories.length ? categories : undefined,
    comment: opt(child(meta, 'comments')),
    journalRef: opt(child(meta, 'journal-ref')),
    doi: opt(child(meta, 'doi'))?.split(/\s+/)[0],
    license: opt(child(meta, 'license')),
    links: ref ? { abs: `https://arxiv.org/abs/${ref.id}`, pdf: `https://arxiv.org/pdf/${ref.id}` } : undefined,
  };
  let record: PaperRecord;
  if (meta.name === 'arXivRaw') {
    const raw = arxivRawFormat(meta, base);
    record = raw.record;
    if (raw.etAl) record.authorsComplete = false;
  } else if (meta.name === 'arXiv' || meta.name === 'arXivOld') {
    record = arxivFormat(meta, base);
  } else {
    problems.push({
      locator,
      severity: 'error',
      message: `metadata format <${meta.name}> is not one Paper Radar reads (use metadataPrefix=arXiv or arXivRaw)`,
    });
    return { problems };
  }
  if (record.authors?.length === 0) record.authors = undefined;
  return { record: dropUndefined(record), problems };
}

/** Streaming OAI-PMH reader: records come out as each `<record>` closes; a malformed one is reported and skipped. */
export class OaiReader {
  readonly page: OaiPage = { errors: [], deleted: [] };
  private readonly xml: XmlRecordReader;

  constructor(ctx: ParseContext, emit: (r: { record?: PaperRecord; problems: Problem[] }) => void) {
    this.xml = new XmlRecordReader({
      records: new Set(['record']),
      // What a harvester needs to go on, found again after a malformed record.
      afterBreak: new Set(['resumptionToken', 'error']),
      onRecord: (node) => {
        const out = oaiRecordToRecord(node, ctx);
        if (out.deleted) this.page.deleted.push(out.deleted);
        emit(out);
      },
      onOther: (node) => {
        if (node.name === 'resumptionToken') {
          this.page.resumptionToken = {
            value: textOf(node),
            cursor: int(node.attrs.cursor),
            completeListSize: int(node.attrs.completeListSize),
            ...(node.attrs.expirationDate ? { expirationDate: node.attrs.expirationDate } : {}),
          };
        } else if (node.name === 'error') {
          this.page.errors.push({ code: node.attrs.code ?? 'unknown', message: textOf(node) });
        } else if (node.name === 'responseDate') {
          this.page.responseDate = textOf(node);
        }
      },
      onBreak: (b) => emit({ problems: [xmlBreakProblem(ctx.name, b, 'record')] }),
    });
  }

  write(text: string): void {
    this.xml.write(text);
  }

  /** Ends the input (a file cut off inside a record is reported through `emit`). */
  close(): void {
    this.xml.close();
  }
}

export function parseOaiPmh(text: string, ctx: ParseContext): OaiResult {
  const result: OaiResult = { records: [], problems: [], errors: [], deleted: [] };
  const reader = new OaiReader(ctx, ({ record, problems }) => {
    if (record) result.records.push(record);
    result.problems.push(...problems);
  });
  reader.write(text);
  reader.close();
  Object.assign(result, reader.page);
  // noRecordsMatch is an empty answer, not a failure; other codes are worth a word.
  for (const e of result.errors) {
    if (e.code !== 'noRecordsMatch') result.problems.push({ locator: ctx.name, severity: 'error', message: `OAI-PMH error ${e.code}: ${e.message}` });
  }
  return result;
}
