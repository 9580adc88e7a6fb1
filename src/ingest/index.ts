/**
 * The ingest layer's public surface: read any supported input into paper
 * records, import inputs into a store, and the parsers themselves; online
 * sources in http/. May import: the domain (paper/, text/) and the store
 * contract (store/types), never a backend; after-import work comes from the caller.
 */
export { runAfterImport, type AfterImportHook, type HookOutcome } from './after-import.ts';
export { detectFormat, unknownFormatReason, type DetectedFormat } from './detect.ts';
export { UnreadableInputError } from './errors.ts';
export { DEFAULT_BATCH_SIZE, importInputs, type ImportOptions, type ImportProgress, type ImportResult } from './import.ts';
export * from './parsers/index.ts';
export { MAX_DOCUMENT_CHARS, MAX_LINE_CHARS, openInput, readInput, type OpenedInput } from './read.ts';
export type * from './types.ts';
