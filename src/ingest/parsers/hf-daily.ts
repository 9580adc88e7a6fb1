/**
 * Hugging Face Daily Papers API JSON: the `/api/daily_papers` list, where each
 * item wraps a `paper` (id, title, summary, authors, publishedAt, upvotes,
 * ai_keywords, githubRepo, …) with listing fields beside it (submittedBy,
 * numComments, organization). Single-paper objects (`/api/papers/ID`) work too.
 */
import type { PaperRecord, ParseResult, Problem } from '../../paper/types.ts';
import { commonFieldsRecord, isObj, pick, type Obj } from '../fields.ts';
import { findItemsKey } from '../json-items.ts';
import { toDay } from '../text.ts';
import type { ParseContext } from '../types.ts';
import { parseJsonArray } from './jsonl.ts';

export function hfItemToRecord(item: Obj, locator: string, ctx: ParseContext): { record?: PaperRecord; problems: Problem[] } {
  const paper = isObj(item.paper) ? item.paper : item;
  // Listing fields live beside `paper`; the paper's own fields win where both exist.
  const merged: Obj = { ...item, ...paper };
  for (const k of ['organization', 'submittedBy', 'numComments']) if (merged[k] === undefined && item[k] !== undefined) merged[k] = item[k];
  if (merged.organization === undefined && isObj(paper.organization)) merged.organization = paper.organization;
  const record = commonFieldsRecord(merged, { kind: 'hf-daily', locator, seenAt: ctx.seenAt });
  const featured = toDay(pick(merged, 'submittedOnDailyAt'));
  if (featured) record.signals = { ...record.signals, featuredOn: featured };
  if (record.arxivId) record.links = { ...record.links, hf: `https://huggingface.co/papers/${record.arxivId}` };
  // HF summaries are the full arXiv abstract; publishedAt is the arXiv day.
  return { record, problems: [] };
}

export function parseHfDaily(text: string, ctx: ParseContext): ParseResult {
  const body = text.replace(/^\uFEFF/, '');
  const at = findItemsKey(body, ['papers', 'items', 'data']);
  if (at) return parseJsonArray(body, ctx, hfItemToRecord, at.start);
  try {
    const value: unknown = JSON.parse(body);
    if (isObj(value)) {
      const r = hfItemToRecord(value, `${ctx.name}#1`, ctx);
      return { records: r.record ? [r.record] : [], problems: r.problems };
    }
  } catch (err) {
    return { records: [], problems: [{ locator: ctx.name, severity: 'error', message: `not valid JSON: ${(err as Error).message}` }] };
  }
  return { records: [], problems: [{ locator: ctx.name, severity: 'error', message: 'expected a list of Daily Papers items' }] };
}
