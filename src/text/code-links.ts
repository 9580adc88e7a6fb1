/**
 * Code and project links written into abstracts and arXiv comments ("Code is
 * available at https://github.com/…", "Project page: https://….github.io/…").
 * Pure: text in, links out, so the paper pages, the API and the digests show
 * a Code button without anyone retyping the URL.
 */

export interface CodeLinks {
  /** A repository: GitHub, GitLab, Bitbucket, Codeberg, Hugging Face (model/space), Papers with Code. */
  code?: string;
  /** A project page: `*.github.io`, `sites.google.com/…`, or a URL the text calls a project/demo page. */
  project?: string;
}

// URLs as people write them in prose: up to whitespace or a closing bracket; trailing punctuation is trimmed below.
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'()[\]{}]+|\b(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[^\s<>"'()[\]{}]+/gi;

const REPO_HOSTS = /^(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)$/i;
const PROJECT_HOSTS = /(?:\.github\.io|\.gitlab\.io|^sites\.google\.com)$/i;

function clean(raw: string): string | undefined {
  let u = raw.replace(/[.,;:!?*]+$/, '');
  if (!/^https?:\/\//i.test(u)) u = `https://${u}`;
  try {
    const url = new URL(u);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.toString().replace(/\/$/, '');
  } catch {
    return undefined;
  }
}

function isRepo(url: URL): boolean {
  if (REPO_HOSTS.test(url.hostname)) return url.pathname.split('/').filter(Boolean).length >= 2; // owner/repo, not a profile
  if (/^huggingface\.co$/i.test(url.hostname)) return /^\/(spaces\/)?[^/]+\/[^/]+/.test(url.pathname) && !url.pathname.startsWith('/papers/');
  return false;
}

/** The first repository and the first project page the text links to. */
export function extractCodeLinks(...texts: (string | undefined)[]): CodeLinks {
  const out: CodeLinks = {};
  for (const text of texts) {
    if (!text) continue;
    for (const m of text.matchAll(URL_RE)) {
      const cleaned = clean(m[0]);
      if (!cleaned) continue;
      const url = new URL(cleaned);
      const before = text.slice(Math.max(0, (m.index ?? 0) - 40), m.index).toLowerCase();
      if (!out.code && isRepo(url)) out.code = cleaned;
      else if (!out.project && (PROJECT_HOSTS.test(url.hostname) || /project|homepage|website|demo|page/.test(before)) && !/arxiv\.org|doi\.org/i.test(url.hostname)) {
        out.project = cleaned;
      }
      if (out.code && out.project) return out;
    }
  }
  return out;
}
