/**
 * A profile's feed as RSS 2.0 and Atom 1.0 (the `feed` package writes the
 * XML). Item ids are the paper ids, so a feed reader shows each paper once
 * however often the feed is polled.
 */
import { Feed } from 'feed';
import { snippet, type Digest } from './model.ts';
import { escapeHtml } from '../text/escape.ts';
import { describeWindow } from './window.ts';

export function renderFeed(d: Digest, format: 'rss' | 'atom'): string {
  const feed = new Feed({
    id: d.webUrl,
    title: `Paper Radar — ${d.profile}`,
    description: `New papers ranked for the profile "${d.profile}" (listing days ${describeWindow(d.window)})`,
    link: d.webUrl,
    updated: new Date(d.generatedAt),
    generator: 'Paper Radar',
    language: 'en',
    feedLinks: { rss: d.feedUrls.rss, atom: d.feedUrls.atom },
    copyright: 'Metadata from arXiv and Hugging Face; see each paper for its licence',
  });
  for (const it of d.items) {
    const reasons = it.reasons.length ? `<ul>${it.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
    feed.addItem({
      id: it.id,
      guid: it.id,
      title: it.title,
      link: it.url,
      date: it.date ? new Date(`${it.date}T00:00:00Z`) : new Date(d.generatedAt),
      description: snippet(it.abstract, 500),
      content: `<p>${escapeHtml(it.byline)}</p>${reasons}<p>${escapeHtml(it.abstract)}</p><p><a href="${escapeHtml(it.likeUrl)}">Like</a> · <a href="${escapeHtml(it.dismissUrl)}">Dismiss</a></p>`,
      author: it.byline ? [{ name: it.byline }] : undefined,
    });
  }
  return format === 'rss' ? feed.rss2() : feed.atom1();
}
