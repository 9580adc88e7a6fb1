/**
 * The digest as one JSON post, Slack-compatible: `text` (the fallback every
 * chat tool shows) and Block Kit `blocks`; plus a `digest` object with the
 * structured data for webhooks that are not Slack. Slack's limits shape it:
 * at most 50 blocks, 3000 characters per text field.
 */
import type { Digest } from './model.ts';
import { digestSubject } from './render-email.ts';

/** Slack mrkdwn needs &, < and > escaped; everything else is literal. */
function mrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text inside `<url|text>`: escaped like mrkdwn, and `|` — which Slack reads
 * as the end of the URL part and has no escape for — replaced by the
 * look-alike U+2223, so "A | B: …" shows as written and the link stays whole.
 */
export function linkText(s: string): string {
  return mrkdwn(s).replace(/\|/g, '\u2223');
}

/** The URL part of `<url|text>`: characters that would end it early, percent-encoded. */
export function linkUrl(u: string): string {
  return u.replace(/[|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/&/g, '&amp;');
}

const link = (url: string, text: string) => `<${linkUrl(url)}|${linkText(text)}>`;

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderWebhook(d: Digest): Record<string, unknown> {
  const subject = digestSubject(d);
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: cap(subject, 150) } }];
  for (const it of d.items.slice(0, 20)) {
    const why = it.reasons.slice(0, 2).map((r) => `_${mrkdwn(r)}_`).join('\n');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cap(`*${link(it.url, it.title)}*\n${mrkdwn(it.byline)}${it.date ? ` · ${it.date}` : ''}${why ? `\n${why}` : ''}`, 3000),
      },
    });
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${link(it.likeUrl, '👍 Like')}  ·  ${link(it.dismissUrl, '✕ Dismiss')}` }],
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${link(d.webUrl, 'Open the whole feed')}  ·  ${link(d.unsubscribeUrl, 'Unsubscribe')}` }] });
  const text = [subject, ...d.items.map((it, i) => `${i + 1}. ${it.title} — ${it.url}`)].join('\n');
  return {
    text,
    blocks,
    digest: {
      profile: d.profile,
      window: d.window,
      generatedAt: d.generatedAt,
      items: d.items.map((it) => ({ id: it.id, title: it.title, byline: it.byline, date: it.date, url: it.url, score: it.score, reasons: it.reasons })),
    },
  };
}
