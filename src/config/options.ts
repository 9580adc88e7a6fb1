/**
 * Option validators shared by the CLI and the HTTP API, so `--limit 0` and
 * `?limit=0` are refused with the same rule. Each validator is a zod schema that reads the raw text
 * (a flag's value, a query parameter) plus the phrase that tells a person
 * what was expected.
 */
import { z } from 'zod';
import { OptionError } from './exit.ts';

export { EXIT, OptionError } from './exit.ts';

export interface OptionRule<T> {
  schema: z.ZodType<T>;
  /** What a valid value looks like, for messages: "a whole number from 1 to 100". */
  expected: string;
}

/** Text that spells a number becomes that number; anything else is left for the number schema to refuse. */
const numberText = (pattern: RegExp) => (v: unknown) => (typeof v === 'string' && pattern.test(v) ? Number(v) : v);

/** A whole number in [min, max]. Text such as "10" is read; "ten", "1.5" and "" are refused. */
export function wholeNumber(min: number, max: number): OptionRule<number> {
  return {
    // preprocess, not coerce: coerce reads "" as 0. The API's OpenAPI document shows the integer bounds.
    schema: z.preprocess(numberText(/^\s*[+-]?\d+\s*$/), z.number().int().min(min).max(max)) as z.ZodType<number>,
    expected: `a whole number from ${min} to ${max}`,
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
  schema: z.preprocess(numberText(/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i), z.number().finite()) as z.ZodType<number>,
  expected: 'a number',
};

/** One of a fixed set of words. */
export function oneOf<const T extends string>(values: readonly T[]): OptionRule<T> {
  return { schema: z.enum(values as unknown as [T, ...T[]]) as unknown as z.ZodType<T>, expected: `one of ${values.join(', ')}` };
}

/** A calendar day YYYY-MM-DD that exists. */
export const dayRule: OptionRule<string> = {
  schema: z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'expected a day YYYY-MM-DD'),
  expected: 'a day YYYY-MM-DD',
};

/**
 * Reads a CLI option: undefined gives the default; a refused value throws
 * OptionError naming the flag and what it expects.
 */
export function readOption<T>(flag: string, rule: OptionRule<T>, raw: string | undefined, dflt: T): T;
export function readOption<T>(flag: string, rule: OptionRule<T>, raw: string | undefined): T | undefined;
export function readOption<T>(flag: string, rule: OptionRule<T>, raw: string | undefined, dflt?: T): T | undefined {
  if (raw === undefined) return dflt;
  const r = rule.schema.safeParse(raw);
  if (!r.success) throw new OptionError(flag, `${flag} ${raw}: expected ${rule.expected}`);
  return r.data;
}

/** The rule as an optional query parameter for the API's zod query schemas. */
export function queryParam<T>(rule: OptionRule<T>, dflt: T): z.ZodType<T>;
export function queryParam<T>(rule: OptionRule<T>): z.ZodType<T | undefined>;
export function queryParam<T>(rule: OptionRule<T>, dflt?: T): z.ZodType<T | undefined> {
  return (dflt === undefined ? rule.schema.optional() : (rule.schema as z.ZodType<T>).default(dflt as never)) as z.ZodType<T | undefined>;
}
