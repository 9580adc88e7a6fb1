import { describe, expect, it } from 'vitest';
import { NOW, testServer } from './helpers.ts';

describe('web pages: code links', () => {
  it('shows a repository written in the abstract as a Code button on the card and the paper page', async () => {
    const { app, store } = await testServer();
    await store.papers.upsertPapers(
      [
        {
          arxivId: '2510.00077',
          title: 'Grokking with Code',
          abstract: 'We study grokking. Code is available at https://github.com/ada/grokking-code.',
          authors: ['Ada Lovelace'],
          categories: ['cs.LG'],
          announced: '2025-10-09',
          source: { kind: 'manual', locator: 'test', seenAt: NOW.toISOString() },
        },
      ],
      NOW.toISOString(),
    );
    const daily = await app.inject({ url: '/?day=2025-10-09' });
    expect(daily.body).toMatch(/<a class="code-link" href="https:\/\/github\.com\/ada\/grokking-code"[^>]*>Code ↗<\/a>/);
    // Papers with nothing of the kind get no button.
    expect(daily.body.match(/class="code-link"/g)).toHaveLength(1);
    const page = await app.inject({ url: '/paper/arxiv:2510.00077' });
    expect(page.body).toMatch(/<a class="btn small" href="https:\/\/github\.com\/ada\/grokking-code"[^>]*>Code ↗<\/a>/);
  });
});
