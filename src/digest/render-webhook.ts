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
        text: cap(`*<${it.url}|${mrkdwn(it.title)}>*\n${mrkdwn(it.byline)}${it.date ? ` · ${it.date}` : ''}${why ? `\n${why}` : ''}`, 3000),
      },
    });
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${it.likeUrl}|👍 Like>  ·  <${it.dismissUrl}|✕ Dismiss>` }],
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${d.webUrl}|Open the whole feed>  ·  <${d.unsubscribeUrl}|Unsubscribe>` }] });
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
