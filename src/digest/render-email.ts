/**
 * The digest as an e-mail: subject, HTML part (inline styles, since mail
 * clients drop style sheets) and a plain-text part with the same content and
 * links. Titles, abstracts and names are untrusted text: always escaped.
 */
import { escapeHtml } from '../text/escape.ts';
import { labLine } from '../rank/lab.ts';
import { snippet, type Digest } from './model.ts';
import { describeWindow } from './window.ts';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// The shared escaper, re-exported for this module's older importers.

export function digestSubject(d: Digest, custom?: string): string {
  const n = d.items.length;
  const base = custom ?? `Paper Radar — ${d.profile}`;
  return `${base}: ${n === 0 ? 'no new papers' : `${n} paper${n === 1 ? '' : 's'}`}, ${describeWindow(d.window)}`;
}

export function renderEmail(d: Digest, opts: { subject?: string } = {}): RenderedEmail {
  return { subject: digestSubject(d, opts.subject), html: renderHtml(d), text: renderText(d) };
}

function renderText(d: Digest): string {
  const lines: string[] = [];
  lines.push(`Paper Radar digest for "${d.profile}" — listing days ${describeWindow(d.window)}`);
  lines.push('');
  if (!d.items.length) lines.push('No new papers passed this profile\'s relevance cut-off in this window.');
  d.items.forEach((it, i) => {
    lines.push(`${i + 1}. ${it.title}`);
    if (it.byline) lines.push(`   ${it.byline}`);
    lines.push(`   ${it.date ? `Date: ${it.date}` : 'Date: unknown'} · ${it.url}`);
    if (it.codeUrl) lines.push(`   Code: ${it.codeUrl}`);
    if (it.projectUrl) lines.push(`   Project page: ${it.projectUrl}`);
    if (it.tldr) lines.push(`   TL;DR (machine-generated): ${it.tldr}`);
    for (const r of it.reasons.slice(0, 3)) lines.push(`   Why: ${r}`);
    if (it.abstract) lines.push(`   ${snippet(it.abstract, 280)}`);
    lines.push(`   Like: ${it.likeUrl}`);
    lines.push(`   Dismiss: ${it.dismissUrl}`);
    lines.push('');
  });
  if (d.rising?.length) {
    lines.push('Rising in your area (this month against the three before):');
    for (const t of d.rising) lines.push(`  - ${t.label}: ×${t.growth.toFixed(2)} (${t.before} → ${t.recent} papers)`);
    lines.push('');
  }
  if (d.lab) {
    lines.push(`Popular in your lab (liked and saved by members over the last ${d.lab.days} days):`);
    for (const p of d.lab.papers) lines.push(`  - ${p.title} — ${labLine(p)}`, `    ${p.url}`);
    lines.push('');
  }
  lines.push(`See the whole feed: ${d.webUrl}`);
  lines.push(`RSS: ${d.feedUrls.rss}`);
  lines.push(`Unsubscribe: ${d.unsubscribeUrl}`);
  return `${lines.join('\n')}\n`;
}

function renderHtml(d: Digest): string {
  const e = escapeHtml;
  const items = d.items
    .map(
      (it, i) => `
<tr><td style="padding:14px 0;border-bottom:1px solid #e5e7eb">
  <div style="font-size:16px;font-weight:600"><span style="color:#6b7280">${i + 1}.</span> <a href="${e(it.url)}" style="color:#1d4ed8;text-decoration:none">${e(it.title)}</a></div>
  ${it.byline ? `<div style="color:#374151;font-size:13px;margin-top:2px">${e(it.byline)}</div>` : ''}
  <div style="color:#6b7280;font-size:12px;margin-top:2px">${it.date ? e(it.date) : 'date unknown'}</div>
  ${it.tldr ? `<div style="font-size:13px;margin-top:6px"><span style="color:#6b7280;font-size:11px;text-transform:uppercase">TL;DR · machine-generated</span> ${e(it.tldr)}</div>` : ''}
  ${it.reasons.length ? `<ul style="margin:6px 0 0 0;padding-left:18px;color:#065f46;font-size:13px">${it.reasons
    .slice(0, 3)
    .map((r) => `<li>${e(r)}</li>`)
    .join('')}</ul>` : ''}
  ${it.abstract ? `<div style="color:#374151;font-size:13px;margin-top:6px">${e(snippet(it.abstract, 400))}</div>` : ''}
  <div style="margin-top:8px;font-size:13px">
    ${it.codeUrl ? `<a href="${e(it.codeUrl)}" style="color:#1d4ed8;margin-right:14px">Code</a>` : ''}${it.projectUrl ? `<a href="${e(it.projectUrl)}" style="color:#1d4ed8;margin-right:14px">Project page</a>` : ''}
    <a href="${e(it.likeUrl)}" style="color:#047857;margin-right:14px">👍 Like</a>
    <a href="${e(it.dismissUrl)}" style="color:#b91c1c">✕ Dismiss</a>
  </div>
</td></tr>`,
    )
    .join('');
  const empty = d.items.length
    ? ''
    : `<tr><td style="padding:14px 0;color:#6b7280">No new papers passed this profile's relevance cut-off in this window.</td></tr>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(digestSubject(d))}</title></head>
<body style="margin:0;padding:16px;background:#f9fafb;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" style="max-width:680px;margin:0 auto;background:#fff;padding:16px;border-radius:8px">
<tr><td><h1 style="font-size:20px;margin:0">Paper Radar — ${e(d.profile)}</h1>
<div style="color:#6b7280;font-size:13px">Listing days ${e(describeWindow(d.window))} · ${d.items.length} paper${d.items.length === 1 ? '' : 's'}</div></td></tr>
${items}${empty}${risingHtml(d)}${labHtml(d)}
<tr><td style="padding-top:14px;font-size:12px;color:#6b7280">
<a href="${e(d.webUrl)}">Open the whole feed</a> · <a href="${e(d.feedUrls.rss)}">RSS</a> · <a href="${e(d.unsubscribeUrl)}">Unsubscribe</a>
</td></tr>
</table></body></html>
`;
}

function risingHtml(d: Digest): string {
  if (!d.rising?.length) return '';
  const e = escapeHtml;
  const rows = d.rising.map((t) => `<li>${e(t.label)} <span style="color:#047857">×${t.growth.toFixed(2)}</span> <span style="color:#6b7280">(${t.before} → ${t.recent} papers)</span></li>`).join('');
  return `
<tr><td style="padding:14px 0;border-bottom:1px solid #e5e7eb"><div style="font-size:15px;font-weight:600">Rising in your area</div>
<div style="color:#6b7280;font-size:12px">This month against the three before</div><ul style="margin:6px 0 0 0;padding-left:18px;font-size:13px">${rows}</ul></td></tr>`;
}

function labHtml(d: Digest): string {
  if (!d.lab) return '';
  const e = escapeHtml;
  const rows = d.lab.papers.map((p) => `<li><a href="${e(p.url)}">${e(p.title)}</a> <span style="color:#6b7280">${e(labLine(p))}</span></li>`).join('');
  return `
<tr><td style="padding:14px 0;border-bottom:1px solid #e5e7eb"><div style="font-size:15px;font-weight:600">Popular in your lab</div>
<div style="color:#6b7280;font-size:12px">Liked and saved by members over the last ${d.lab.days} days</div><ul style="margin:6px 0 0 0;padding-left:18px;font-size:13px">${rows}</ul></td></tr>`;
}
