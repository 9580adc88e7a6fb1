/**
 * Shared shapes of the ingest layer: what a parser is told about its input,
 * which formats exist, and what an import reports back.
 */
import type { PaperRecord, ParseResult, Problem } from '../paper/types.ts';
import type { ImportCounts } from '../store/types.ts';

/** What a pure parser knows about its input besides the text itself. */
export interface ParseContext {
  /** File name or URL, used in locators (`papers.bib:12`). */
  name: string;
  /** When the input was read (ISO instant); becomes `source.seenAt`. */
  seenAt: string;
  /** Today's day (YYYY-MM-DD), for listings that print dates without a year. */
  today: string;
}

/** A pure parser: text in, records and problems out. */
export type Parser = (text: string, ctx: ParseContext) => ParseResult;

/** One record or one problem, as `readInput` streams them. */
export type InputItem = { record: PaperRecord } | { problem: Problem };

/** A line parser for the streaming formats: one line in, at most one record out. */
export type LineParser = (line: string, lineNo: number, ctx: ParseContext) => { record?: PaperRecord; problems: Problem[] };

export type InputFormat =
  | 'arxiv-atom'
  | 'oai-pmh'
  | 'kaggle'
  | 'jsonl'
  | 'json'
  | 'hf-daily'
  | 'bibtex'
  | 'csl-json'
  | 'listing';

/**
 * An input named by path (streamed from disk), given as bytes, or an upload
 * saved to a temporary `file` and known by the `name` it was uploaded under.
 */
export type InputSpec = { path: string } | { name: string; bytes: Buffer } | { name: string; file: string };

export interface ReadProgress {
  /** Bytes of the input consumed so far (compressed bytes for gzip). */
  bytesRead: number;
  totalBytes?: number;
  /** Records and problems produced so far. */
  records: number;
}

export interface ReadOptions {
  seenAt: string;
  today: string;
  onProgress?: (p: ReadProgress) => void;
}

/** What happened to one input file. */
export interface FileReport {
  name: string;
  /** Detected format; null when the input could not be read at all. */
  format: InputFormat | null;
  /** Whether the input was gzip-compressed. */
  gzip?: boolean;
  /** Records the parser produced (accepted or rejected). */
  records: number;
  counts: ImportCounts;
  /** Rejected records (severity `error`); the list is capped, `rejectedTotal` is not. */
  rejected: Problem[];
  rejectedTotal: number;
  /** Records that landed minus something, and file-level notes; capped like `rejected`. */
  warnings: Problem[];
  warningsTotal: number;
  /** Set when the input could not be read at all (missing, empty, binary, unknown format). */
  unreadable?: string;
}

export interface ImportReport {
  files: FileReport[];
  totals: ImportCounts & { records: number; rejected: number; warnings: number; unreadable: number };
}
