/**
 * arXiv's daily new-submissions listing, read from its RSS feed
 * (`https://rss.arxiv.org/rss/cs.LG`, the format arXiv has served since
 * January 2024). Chosen over scraping `/list/cs.LG/new`: it is the same
 * announcement as the page, one request per category per day, with full
 * abstracts, categories, authors, licence and an explicit announce type, and
 * its XML shape is documented and stable where the HTML is not.
 *
 * Each `<item>`: title, link, `<description>` = "arXiv:ID vN Announce Type: T
 * Abstract: …", `<category>`s, `<pubDate>` (the announcement day, US Eastern),
 * `<arxiv:announce_type>` (new | cross | replace | replace-cross),
 * `<dc:creator>` ("A, B, C"), `<dc:rights>`.
 *
 * `new` and `cross` items are new to the listing: their `announced` day is the
 * feed's day. `replace*` items are new versions of old papers: they update
 * `updated` and the version but are not marked announced, so a revised 2019
 * paper does not reappear in today's feeds.
 *
 * Pure: text in, records + problems out. Malformed XML stops the reader at
 * the error with a problem naming the line; items before it are kept.
 */
import { SaxesParser } from 'saxes';
import { parseArxivId } from '../../paper/ids.ts';
import type { PaperRecord, ParseResult, Problem } from '../../paper/types.ts';

interface RawItem {
  line: number;
  fields: Map<string, string[]>;
}

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06', jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

/** The calendar day an RFC 822 date names in its own offset: "Tue, 14 May 2024 00:00:00 -0400" → 2024-05-14. */
export function rfc822Day(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})/.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2].toLowerCase()];
  return month ? `${m[3]}-${month}-${m[1].padStart(2, '0')}` : undefined;
}

function clean(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

export interface RssListing extends ParseResult {
  /** The listing's day (channel pubDate), when given. */
  day?: string;
  /** Items by announce type. */
  types: Record<string, number>;
}

export function parseArxivRss(xml: string, ctx: { name: string; seenAt: string }): RssListing {
  const items: RawItem[] = [];
  const problems: Problem[] = [];
  const channel = new Map<string, string>();
  const stack: string[] = [];
  let current: RawItem | undefined;
  let text = '';
  let sawRss = false;
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on('opentag', (t) => {
    const name = t.name;
    if (stack.length === 0 && name === 'rss') sawRss = true;
    stack.push(name);
    text = '';
    if (name === 'item') current = { line: parser.line, fields: new Map() };
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', (t) => {
    // Namespace prefixes vary between feeds (dc:, arxiv:); fields are keyed by local name.
    const name = t.name.slice(t.name.indexOf(':') + 1);
    stack.pop();
    if (name === 'item' && current) {
      items.push(current);
      current = undefined;
    } else if (current && stack[stack.length - 1] === 'item') {
      const list = current.fields.get(name) ?? [];
      list.push(text);
      current.fields.set(name, list);
    } else if (stack[stack.length - 1] === 'channel') {
      channel.set(name, text);
    }
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    problems.push({
      locator: `${ctx.name}:${parser.line}`,
      message: `malformed XML, stopped reading here (${items.length} items read before it): ${(err as Error).message.split('\n')[0]}`,
      severity: 'error',
    });
  }
  if (!sawRss && !problems.length) {
    problems.push({ locator: ctx.name, message: 'not an RSS document (no <rss> root element)', severity: 'error' });
  }
  const day = rfc822Day(channel.get('pubDate') ?? channel.get('lastBuildDate'));
  const records: PaperRecord[] = [];
  const types: Record<string, number> = {};
  for (const item of items) {
    const r = itemToRecord(item, ctx, day, problems);
    if (r) {
      records.push(r.record);
      types[r.type] = (types[r.type] ?? 0) + 1;
    }
  }
  return { records, problems, day, types };
}

function itemToRecord(item: RawItem, ctx: { name: string; seenAt: string }, channelDay: string | undefined, problems: Problem[]) {
  const get = (k: string) => item.fields.get(k)?.[0];
  const locator = `${ctx.name}:${item.line}`;
  const description = get('description') ?? '';
  const idText = /arXiv:(\S+)/.exec(description)?.[1] ?? get('guid') ?? get('link');
  const ref = parseArxivId(idText);
  if (!ref) {
    problems.push({ locator, field: 'guid', message: `no arXiv id in the item (guid "${clean(get('guid'))}", link "${clean(get('link'))}")`, severity: 'error' });
    return undefined;
  }
  const title = clean(get('title'));
  if (!title) {
    problems.push({ locator, field: 'title', message: `item ${ref.id} has no title`, severity: 'error' });
    return undefined;
  }
  const type = (clean(get('announce_type')) || /Announce Type:\s*(\S+)/.exec(description)?.[1] || 'new').toLowerCase();
  const abstractMatch = /Abstract:\s*([\s\S]*)$/.exec(description);
  const abstract = clean(abstractMatch ? abstractMatch[1] : '');
  const creators = clean(get('creator'));
  const authors = creators ? creators.split(/\s*,\s*|\s+and\s+/).map(clean).filter(Boolean) : undefined;
  const day = rfc822Day(get('pubDate')) ?? channelDay;
  const isNew = type === 'new' || type === 'cross';
  const record: PaperRecord = {
    arxivId: ref.id,
    arxivVersion: ref.version,
    title,
    abstract: abstract || undefined,
    authors,
    categories: (item.fields.get('category') ?? []).map(clean).filter(Boolean),
    license: clean(get('rights')) || undefined,
    links: { abs: `https://arxiv.org/abs/${ref.id}`, pdf: `https://arxiv.org/pdf/${ref.id}` },
    source: { kind: 'listing', locator, seenAt: ctx.seenAt },
  };
  if (isNew) record.announced = day;
  else record.updated = day;
  if (ref.version) record.versions = [{ version: ref.version }];
  return { record, type };
}
