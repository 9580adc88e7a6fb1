/** The recorded OAI-PMH harvest served as arXiv's endpoint answers it (shared by the harvest tests). */
import type { HarvestSpec } from '../../../src/ingest/http/oai.ts';
import { fixture, type RecordedRequest, type Reply } from './replay-server.ts';

/** All arXiv ids in the recorded harvest (chunk 1: three pages, chunk 2: one page). */
export const HARVEST_IDS = [201, 202, 203, 204, 205, 206, 207, 208, 301, 302].map((n) => `2503.00${n}`);

/** Serves the recorded harvest the way arXiv's OAI endpoint answers it. */
export function oaiResponder(overrides: { token?: (token: string) => Reply | undefined } = {}) {
  return (r: RecordedRequest): Reply => {
    const token = r.query.get('resumptionToken');
    if (token) {
      const o = overrides.token?.(token);
      if (o) return o;
      if (token === '6961029|1001') return { body: fixture('oai/chunk1-page2.xml') };
      if (token === '6961029|2001') return { body: fixture('oai/chunk1-page3.xml') };
      return { body: fixture('oai/badResumptionToken.xml') };
    }
    if (r.query.get('set') === 'nope') return { body: fixture('oai/badArgument.xml') };
    const from = r.query.get('from');
    if (from === '2025-03-01') return { body: fixture('oai/chunk1-page1.xml') };
    if (from === '2025-03-08') return { body: fixture('oai/chunk2-page1.xml') };
    return { body: fixture('oai/noRecordsMatch.xml') };
  };
}

export const spec = (url: string, extra: Partial<HarvestSpec> = {}): HarvestSpec => ({
  baseUrl: `${url}/oai`,
  metadataPrefix: 'arXiv',
  set: 'cs',
  from: '2025-03-01',
  until: '2025-03-10',
  chunkDays: 7,
  ...extra,
});

