/** Code links found in an abstract reach the digest mail as a Code link, and the API's paper data. */
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/digest/model.ts';
import { renderEmail } from '../../src/digest/render-email.ts';
import { linksWithCode } from '../../src/paper/code.ts';
import { testServer } from '../server/helpers.ts';

describe('code links', () => {
  it('show as a Code link in the digest mail (text and HTML)', () => {
    const abstract = 'We switch between latent and explicit thinking. Code: https://github.com/sdc17/SwiReasoning.';
    const digest = buildDigest({
      profile: 'p',
      window: { from: '2025-10-09', to: '2025-10-09' },
      papers: [{ id: 'arxiv:2510.05069', title: 'SwiReasoning', authors: ['A'], date: '2025-10-09', links: linksWithCode({ links: {}, abstract }), abstract, score: 3, reasons: [] }],
      baseUrl: 'http://radar.test',
      secret: 'x'.repeat(32),
      feedToken: 't',
      now: new Date('2025-10-10T07:00:00Z'),
      channel: 'email',
    });
    expect(digest.items[0].codeUrl).toBe('https://github.com/sdc17/SwiReasoning');
    const mail = renderEmail(digest);
    expect(mail.text).toContain('Code: https://github.com/sdc17/SwiReasoning');
    expect(mail.html).toContain('<a href="https://github.com/sdc17/SwiReasoning" style="color:#1d4ed8;margin-right:14px">Code</a>');
  });

  it('are in the API paper data, without overriding a link a source gave', async () => {
    const { app, store } = await testServer({ seed: false });
    await store.papers.upsertPapers(
      [
        { arxivId: '2510.07001', title: 'With Code In Its Comment', abstract: 'An abstract long enough to be an abstract of a paper.', comment: 'Project page: https://proj.github.io/x', source: { kind: 'manual', locator: 'm:1', seenAt: '2025-10-10T00:00:00Z' } },
        { arxivId: '2510.07002', title: 'Given By The Source', abstract: 'See https://github.com/a/b for code.', links: { code: 'https://github.com/official/repo' }, source: { kind: 'manual', locator: 'm:2', seenAt: '2025-10-10T00:00:00Z' } },
      ],
      '2025-10-10T00:00:00Z',
    );
    const one = (await app.inject({ url: '/api/papers/arxiv:2510.07001' })).json();
    expect((one.paper ?? one).links).toMatchObject({ project: 'https://proj.github.io/x' });
    const two = (await app.inject({ url: '/api/papers/arxiv:2510.07002' })).json();
    expect((two.paper ?? two).links.code).toBe('https://github.com/official/repo');
  });
});
