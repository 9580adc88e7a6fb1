/** A paper's links with its code repository and project page filled in from its abstract and comment when no source gave them. */
import { extractCodeLinks } from '../text/code-links.ts';
import type { Paper, PaperLinks } from './types.ts';

export function linksWithCode(p: Pick<Paper, 'links' | 'abstract' | 'comment'>): PaperLinks {
  if (p.links.code && p.links.project) return p.links;
  const found = extractCodeLinks(p.abstract, p.comment);
  if (!found.code && !found.project) return p.links;
  return { ...p.links, ...(p.links.code || !found.code ? {} : { code: found.code }), ...(p.links.project || !found.project ? {} : { project: found.project }) };
}
