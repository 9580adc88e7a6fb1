import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryParam } from '../../src/config/option-schemas.ts';
import { dayRule, EXIT, finiteNumberRule, limitRule, oneOf, OptionError, portRule, readOption } from '../../src/config/options.ts';

describe('option rules', () => {
  it('read whole numbers within bounds from text or numbers, and refuse the rest', () => {
    const limit = limitRule(100);
    expect(['1', ' 100 ', 7].map((v) => limit.read(v))).toEqual([1, 100, 7]);
    for (const bad of ['0', '101', 'ten', '1.5', '', '1e2', 2.5, [1]]) expect(limit.read(bad), String(bad)).toBeUndefined();
    expect(portRule.read('0')).toBe(0);
    expect(portRule.read('65536')).toBeUndefined();
  });

  it('read finite numbers, words of a set and real days', () => {
    expect(finiteNumberRule.read('-1.5')).toBe(-1.5);
    expect(finiteNumberRule.read('Infinity')).toBeUndefined();
    expect(finiteNumberRule.read('')).toBeUndefined();
    expect(oneOf(['a', 'b']).read('b')).toBe('b');
    expect(oneOf(['a', 'b']).read('c')).toBeUndefined();
    expect(dayRule.read('2024-02-29')).toBe('2024-02-29');
    expect(dayRule.read('2023-02-29')).toBeUndefined();
  });

  it('readOption gives the default when absent and an OptionError (exit 2) naming the flag when refused', () => {
    expect(readOption('--limit', limitRule(10), undefined, 5)).toBe(5);
    expect(readOption('--limit', limitRule(10), '3', 5)).toBe(3);
    let err: unknown;
    try {
      readOption('--limit', limitRule(10), '11', 5);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OptionError);
    expect((err as OptionError).message).toBe('--limit 11: expected a whole number from 1 to 10');
    expect((err as OptionError).exitCode).toBe(EXIT.usage);
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, ambiguous: 3 });
  });

  it('as API query parameters: the same rule, a default, the words of the refusal, and a JSON Schema for OpenAPI', () => {
    const q = z.object({ limit: queryParam(limitRule(100), 20), cutoff: queryParam(finiteNumberRule) });
    expect(q.parse({})).toEqual({ limit: 20, cutoff: undefined });
    expect(q.parse({ limit: '7', cutoff: '1.5' })).toEqual({ limit: 7, cutoff: 1.5 });
    const bad = q.safeParse({ limit: '0' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['limit'], message: 'expected a whole number from 1 to 100' });
    const schema = z.toJSONSchema(q, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown>; required?: string[] };
    expect(schema.properties.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(schema.required ?? []).toEqual([]);
  });
});
