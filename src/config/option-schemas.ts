/**
 * The option rules of options.ts as zod query parameters, for the API's
 * route schemas: the same rule refuses `?limit=0` as refuses `--limit 0`,
 * and the OpenAPI document shows the rule's JSON Schema.
 */
import { z } from 'zod';
import type { OptionRule } from './options.ts';

export function queryParam<T>(rule: OptionRule<T>, dflt: T): z.ZodType<T, unknown>;
export function queryParam<T>(rule: OptionRule<T>): z.ZodType<T | undefined, unknown>;
export function queryParam<T>(rule: OptionRule<T>, dflt?: T): z.ZodType<T | undefined, unknown> {
  return z
    .any()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return dflt;
      const value = rule.read(raw);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${rule.expected}` });
        return z.NEVER;
      }
      return value;
    })
    .meta(rule.jsonSchema) as z.ZodType<T | undefined, unknown>;
}
