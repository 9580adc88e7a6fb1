/**
 * Option validators shared by the CLI and the HTTP API, so `--limit 0` and
 * `?limit=0` are refused by the same rule with the same words. A rule reads
 * the raw value (a flag's text, a query parameter) and says what it expects;
 * config/option-schemas.ts turns a rule into a zod query parameter for the
 * API. No zod here: the CLI reads its options without loading it.
 */
import { OptionError } from './exit.ts';

export { EXIT, OptionError } from './exit.ts';

export interface OptionRule<T> {
  /** What a valid value looks like, for messages: "a whole number from 1 to 100". */
  expected: string;
  /** The value, or undefined when refused. Text and already-parsed values are both read. */
  read(raw: unknown): T | undefined;
  /** JSON Schema of an accepted value, for the OpenAPI document. */
  jsonSchema: Record<string, unknown>;
}

const WHOLE = /^\s*[+-]?\d+\s*$/;
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/** A whole number in [min, max]. "10" is read; "ten", "1.5" and "" are refused. */
export function wholeNumber(min: number, max: number): OptionRule<number> {
  return {
    expected: `a whole number from ${min} to ${max}`,
    read(raw) {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && WHOLE.test(raw) ? Number(raw) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
    },
    jsonSchema: { type: 'integer', minimum: min, maximum: max },
  };
}

/** A page size: 1 to max. */
export const limitRule = (max: number) => wholeNumber(1, max);
/** Results to skip when paging: 0 to max. */
export const offsetRule = (max: number) => wholeNumber(0, max);
/** A TCP port; 0 lets the system pick a free one. */
export const portRule = wholeNumber(0, 65535);

/** Any finite number, e.g. a relevance cut-off in standard deviations. */
export const finiteNumberRule: OptionRule<number> = {
  expected: 'a number',
  read(raw) {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && DECIMAL.test(raw) ? Number(raw) : NaN;
    return Number.isFinite(n) ? n : undefined;
  },
  jsonSchema: { type: 'number' },
};

/** One of a fixed set of words. */
export function oneOf<const T extends string>(values: readonly T[]): OptionRule<T> {
  return {
    expected: `one of ${values.join(', ')}`,
    read: (raw) => (values.includes(raw as T) ? (raw as T) : undefined),
    jsonSchema: { type: 'string', enum: [...values] },
  };
}

/** A calendar day YYYY-MM-DD that exists. */
export const dayRule: OptionRule<string> = {
  expected: 'a day YYYY-MM-DD',
  read(raw) {
    if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
    const d = new Date(`${raw}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(raw) ? raw : undefined;
  },
  jsonSchema: { type: 'string', format: 'date' },
};

/**
 * Reads a CLI option: undefined gives the default; a refused value throws
 * OptionError naming the flag and what it expects.
 */
export function readOption<T>(flag: string, rule: OptionRule<T>, raw: string | undefined, dflt: T): T;
export function readOption<T>(flag: string, rule: OptionRule<T>, raw: string | undefined): T | undefined;
export function readOption<T>(flag: string, rule: OptionRule<T>, raw: string | undefined, dflt?: T): T | undefined {
  if (raw === undefined) return dflt;
  const value = rule.read(raw);
  if (value === undefined) throw new OptionError(flag, `${flag} ${raw}: expected ${rule.expected}`);
  return value;
}
