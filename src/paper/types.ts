/**
 * The paper domain: what a parser says about a paper (PaperRecord), and what the
 * store keeps after merging every source's view of it (Paper).
 *
 * Dates are ISO strings: `YYYY-MM-DD` for days, full ISO-8601 for instants.
 */

/** Where a record came from. `kind` is the parser/source; `locator` points inside it. */
export type SourceKind =
  | 'arxiv-api'
  | 'arxiv-oai'
  | 'arxiv-snapshot'
  | 'hf-daily'
  | 'bibtex'
  | 'csl-json'
  | 'jsonl'
  | 'listing'
  | 'manual'
  | 'biorxiv'
  | 'medrxiv'
  | 'openalex'
  | 'zotero'
  /** A paper carried by a `radar export` document into another database. */
  | 'restore';

export interface SourceRef {
  kind: SourceKind;
  /** File name or URL, plus `:line` or `#record` where the record started, e.g. `papers.bib:120`. */
  locator: string;
  /** When this source was read (ISO instant). */
  seenAt: string;
}

export interface PaperVersion {
  version: number;
  /** Submission day of this version, when known. */
  date?: string;
}

/** Links a person may want to follow. All optional; keys are stable. */
export interface PaperLinks {
  abs?: string;
  pdf?: string;
  hf?: string;
  doi?: string;
  code?: string;
  project?: string;
  [other: string]: string | undefined;
}

/** Source-specific signals: popularity and social context. */
export interface PaperSignals {
  upvotes?: number;
  comments?: number;
  organization?: string;
  submitter?: string;
  githubRepo?: string;
  githubStars?: number;
  keywords?: string[];
  /** Day the paper was featured on Hugging Face Daily Papers. */
  featuredOn?: string;
  /** Times cited, as OpenAlex counted on `citationsAt`. */
  citations?: number;
  /** Day OpenAlex was last asked about the paper (found or not), so enrichment does not ask again too soon. */
  citationsAt?: string;
}

/**
 * One source's view of one paper, as a parser produces it. Every field but
 * `source` is optional: parsers fill what the input says and nothing else.
 */
export interface PaperRecord {
  /** arXiv id without version: `2510.05069` or `hep-th/9901001`. */
  arxivId?: string;
  /** Version the source described (from `2510.05069v2`). */
  arxivVersion?: number;
  versions?: PaperVersion[];
  /** Lower-cased DOI without `https://doi.org/`. */
  doi?: string;
  title?: string;
  abstract?: string;
  /** True when the abstract is known to be a cut-off snippet. */
  abstractTruncated?: boolean;
  /** Author names in order. */
  authors?: string[];
  /** False when the list is known to be partial ("et al."). Defaults to true when authors are given. */
  authorsComplete?: boolean;
  /** Number of authors when only a count is known (or to complete a partial list). */
  authorCount?: number;
  /** Categories, primary first (arXiv style: `cs.LG`). */
  categories?: string[];
  /** First-version day. */
  published?: string;
  /** The source printed `published` without a year (`Aug 13`): its year is the parser's guess, which an arXiv id overrules at merge time. */
  publishedYearGuessed?: boolean;
  /** Latest-version day. */
  updated?: string;
  /** Day the paper appeared in a daily listing (arXiv announcement or HF daily). */
  announced?: string;
  year?: number;
  venue?: string;
  journalRef?: string;
  comment?: string;
  license?: string;
  links?: PaperLinks;
  signals?: PaperSignals;
  source: SourceRef;
}

/** A stored, merged paper. */
export interface Paper {
  /** Canonical id: `arxiv:…`, `doi:…`, `title:…` or `abstract:…` (see ids.ts). */
  id: string;
  arxivId?: string;
  doi?: string;
  /** Empty string when no source has given a title yet. */
  title: string;
  abstract: string;
  abstractTruncated: boolean;
  authors: string[];
  authorsComplete: boolean;
  authorCount?: number;
  categories: string[];
  published?: string;
  updated?: string;
  announced?: string;
  year?: number;
  venue?: string;
  journalRef?: string;
  comment?: string;
  license?: string;
  versions: PaperVersion[];
  links: PaperLinks;
  signals: PaperSignals;
  /** The day this paper counts for in listings and feeds: announced ?? published ?? featuredOn ?? updated. */
  listingDate?: string;
  /** When the store first saw it, and when its content last changed (ISO instants). */
  addedAt: string;
  modifiedAt: string;
}

/** Which source said what about a stored paper, and when. */
export interface Provenance {
  source: SourceRef;
  /** Field name → value as that source gave it (long text is summarised as length + hash). */
  fields: Record<string, unknown>;
}

/** A record that could not be read, or a field that was dropped. */
export interface Problem {
  /** File or URL plus line/record, e.g. `bad.xml:42` or `papers.jsonl:7`. */
  locator: string;
  /** Field at fault, when one is. */
  field?: string;
  message: string;
  /** `error`: the record was rejected. `warning`: it landed, minus what the message says. */
  severity: 'error' | 'warning';
}

export interface ParseResult {
  records: PaperRecord[];
  problems: Problem[];
}
