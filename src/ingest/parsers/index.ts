/** Every parser, by format: the pure whole-text ones and the per-line ones the streaming reader uses. */
import type { InputFormat, LineParser, Parser } from '../types.ts';
import { parseArxivAtom } from './arxiv-atom.ts';
import { parseBibtex } from './bibtex.ts';
import { parseCslJson } from './csl-json.ts';
import { parseHfDaily } from './hf-daily.ts';
import { parseJson, parseJsonl, parseJsonlLine } from './jsonl.ts';
import { parseKaggle, parseKaggleLine } from './kaggle.ts';
import { parseListing } from './listing.ts';
import { parseOaiPmh } from './oai-pmh.ts';

export { AtomReader, parseArxivAtom, type AtomResult } from './arxiv-atom.ts';
export { parseBibtex } from './bibtex.ts';
export { parseCslJson } from './csl-json.ts';
export { parseHfDaily } from './hf-daily.ts';
export { parseJson, parseJsonl, parseJsonlLine } from './jsonl.ts';
export { parseKaggle, parseKaggleLine } from './kaggle.ts';
export { parseListing } from './listing.ts';
export { OaiReader, parseOaiPmh, type OaiResult, type ResumptionToken } from './oai-pmh.ts';

export const PARSERS: Record<InputFormat, Parser> = {
  'arxiv-atom': parseArxivAtom,
  'oai-pmh': parseOaiPmh,
  kaggle: parseKaggle,
  jsonl: parseJsonl,
  json: parseJson,
  'hf-daily': parseHfDaily,
  bibtex: parseBibtex,
  'csl-json': parseCslJson,
  listing: parseListing,
};

/** Formats read line by line, so a file of any size streams. */
export const LINE_PARSERS: Partial<Record<InputFormat, LineParser>> = {
  kaggle: parseKaggleLine,
  jsonl: parseJsonlLine,
};
