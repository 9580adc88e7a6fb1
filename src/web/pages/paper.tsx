/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** One paper: full abstract with math, links, similar papers, the private note, collections and — with a profile — why it is recommended. */
import { linksWithCode } from '../../paper/code.ts';
import type { Provenance } from '../../paper/types.ts';
import type { Collection, Note, StoredPaper } from '../../store/types.ts';
import { Authors, Categories, Notice, PaperCard, paperHref, qs, shortDate, TldrLine, type CardPaper } from '../components.tsx';
import { MathText } from '../math.tsx';
import type { SimilarResult, SimilarSort } from '../../app/similar.ts';

export type { SimilarSort };

/** What the "For <profile>" section says: reasons, a sentence, or (pending) a link that loads the ranking. */
export type WhyView = { reasons: { text: string }[]; score?: number } | { unavailable: string } | { pending: string };

export function WhyBody({ why, profile }: { why: WhyView; profile: string }) {
  if ('pending' in why) {
    return (
      <p class="muted" data-why-src={`${why.pending}&partial=1`}>
        <a href={why.pending}>Why would {profile} want this paper?</a>
      </p>
    );
  }
  if ('unavailable' in why) return <p class="muted">{why.unavailable}</p>;
  if (!why.reasons.length) return <p class="muted">Nothing in {profile}'s papers points to this one.</p>;
  return (
    <ul class="reasons">
      {why.reasons.map((r) => (
        <li>{r.text}</li>
      ))}
    </ul>
  );
}

export interface PaperPageProps {
  paper: StoredPaper;
  /** Machine-generated TL;DR (when configured and cached). */
  tldr?: string;
  provenance: Provenance[];
  note?: Note;
  collections: Collection[];
  inCollections: Collection[];
  similar?: SimilarResult;
  profile?: string;
  why?: WhyView;
  feedback?: string[];
  flash?: string;
}

function outboundLinks(p: StoredPaper): { label: string; href: string }[] {
  const l = linksWithCode(p);
  const out: { label: string; href: string }[] = [];
  const abs = l.abs ?? (p.arxivId ? `https://arxiv.org/abs/${p.arxivId}` : undefined);
  const pdf = l.pdf ?? (p.arxivId ? `https://arxiv.org/pdf/${p.arxivId}` : undefined);
  const hf = l.hf ?? (p.arxivId && /^\d{4}\.\d{4,5}$/.test(p.arxivId) ? `https://huggingface.co/papers/${p.arxivId}` : undefined);
  if (abs) out.push({ label: 'arXiv abstract', href: abs });
  if (pdf) out.push({ label: 'PDF', href: pdf });
  if (hf) out.push({ label: 'Hugging Face', href: hf });
  if (l.doi ?? p.doi) out.push({ label: 'DOI', href: l.doi ?? `https://doi.org/${p.doi}` });
  if (l.code ?? p.signals.githubRepo) out.push({ label: 'Code', href: (l.code ?? p.signals.githubRepo)! });
  if (l.project) out.push({ label: 'Project page', href: l.project });
  return out.filter((x) => /^https?:\/\//i.test(x.href));
}

export function PaperPage(props: PaperPageProps) {
  const { paper: p } = props;
  const links = outboundLinks(p);
  const facts: [string, string][] = [];
  if (p.published) facts.push(['Submitted', shortDate(p.published)]);
  if (p.updated && p.updated !== p.published) facts.push(['Updated', shortDate(p.updated)]);
  if (p.announced) facts.push(['Announced', shortDate(p.announced)]);
  if (p.signals.featuredOn) facts.push(['On HF Daily Papers', shortDate(p.signals.featuredOn)]);
  if (p.venue) facts.push(['Venue', p.venue]);
  if (p.journalRef) facts.push(['Journal ref', p.journalRef]);
  if (p.comment) facts.push(['Comment', p.comment]);
  if (p.arxivId) facts.push(['arXiv id', p.arxivId + (p.versions.length ? ` (v${Math.max(...p.versions.map((v) => v.version))})` : '')]);
  if (p.doi) facts.push(['DOI', p.doi]);
  if (p.license) facts.push(['License', p.license]);
  const actionUrl = `${paperHref(p.id)}`;
  return (
    <article>
      {props.flash && <Notice kind="ok">{props.flash}</Notice>}
      <header class="paper-head">
        <h1>
          <MathText text={p.title || '(title not known yet)'} />
        </h1>
        <Authors paper={p} max={40} />
        <div class="meta">
          {p.listingDate && <time dateTime={p.listingDate}>{shortDate(p.listingDate)}</time>}
          <Categories categories={p.categories} />
          {p.signals.organization && <span class="org">{p.signals.organization}</span>}
          {p.signals.upvotes !== undefined && <span>▲ {p.signals.upvotes} upvotes</span>}
        </div>
      </header>
      {links.length > 0 && (
        <nav class="paper-links" aria-label="Elsewhere">
          {links.map((l) => (
            <a class="btn small" href={l.href} rel="noopener noreferrer" target="_blank">
              {l.label} ↗
            </a>
          ))}
        </nav>
      )}

      <section aria-labelledby="abstract-h">
        <h2 id="abstract-h" class="visually-hidden">
          Abstract
        </h2>
        <TldrLine text={props.tldr} />
        {p.abstract ? (
          <div class="paper-abstract">
            <MathText text={p.abstract} />
            {p.abstractTruncated && <span class="muted"> … (abstract cut off at the source; it is completed when the paper is fetched from arXiv)</span>}
          </div>
        ) : (
          <p class="muted">No abstract known yet.</p>
        )}
      </section>

      {props.profile && <WhySection {...props} profile={props.profile} />}

      <section aria-labelledby="library-h">
        <div class="section-head">
          <h2 id="library-h">Your library</h2>
        </div>
        <div class="panel">
          <form class="row" method="post" action={`${actionUrl}/collect`} data-collect>
            <label for="collection">Save to collection</label>
            <input id="collection" name="collection" type="text" list="collection-names" value="Saved" required maxLength={100} />
            <datalist id="collection-names">
              {props.collections.map((c) => (
                <option value={c.name} />
              ))}
            </datalist>
            <button class="btn primary small" type="submit">
              Save
            </button>
            {props.inCollections.length > 0 && (
              <span class="muted small">
                In:{' '}
                {props.inCollections.map((c, i) => (
                  <>
                    {i > 0 && ', '}
                    <a href={`/collections/${encodeURIComponent(c.name)}`}>{c.name}</a>
                  </>
                ))}
              </span>
            )}
          </form>
          <form method="post" action={`${actionUrl}/note`} data-note={p.id}>
            <div class="field">
              <label for="note">Private note</label>
              <textarea id="note" name="text" maxLength={20000} placeholder="Only you see this. Saved as you type." rows={4}>
                {props.note?.text ?? ''}
              </textarea>
            </div>
            <div class="row">
              <button class="btn small nojs-only" type="submit">
                Save note
              </button>
              <span class="note-status" aria-live="polite" data-note-status>
                {props.note ? `Saved ${props.note.updatedAt.slice(0, 16).replace('T', ' ')}` : ''}
              </span>
            </div>
          </form>
        </div>
      </section>

      <SimilarSection {...props} />

      {facts.length > 0 && (
        <section aria-labelledby="facts-h">
          <div class="section-head">
            <h2 id="facts-h">Details</h2>
          </div>
          <dl class="facts">
            {facts.map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
        </section>
      )}
      <details class="syntax">
        <summary>Where this record came from ({props.provenance.length})</summary>
        <ul>
          {props.provenance.map((s) => (
            <li>
              {s.source.kind} · <code>{s.source.locator}</code> · {s.source.seenAt.slice(0, 10)}
            </li>
          ))}
        </ul>
      </details>
    </article>
  );
}

function WhySection(props: PaperPageProps & { profile: string }) {
  const why = props.why;
  const fb = new Set(props.feedback ?? []);
  const base = `${paperHref(props.paper.id)}/feedback`;
  return (
    <section aria-labelledby="why-h">
      <div class="section-head">
        <h2 id="why-h">For {props.profile}</h2>
        <div class="row" data-feedback-buttons data-profile={props.profile} data-id={props.paper.id}>
          {(['like', 'save', 'dismiss'] as const).map((a) => (
            <form class="inline-form" method="post" action={base}>
              <input type="hidden" name="profile" value={props.profile} />
              <input type="hidden" name="action" value={a} />
              <button class="btn small" type="submit" data-action={a} aria-pressed={fb.has(a) ? 'true' : 'false'}>
                {a === 'like' ? 'Like' : a === 'save' ? 'Save' : 'Dismiss'}
              </button>
            </form>
          ))}
        </div>
      </div>
      {why && <WhyBody why={why} profile={props.profile} />}
    </section>
  );
}

function SimilarSection(props: PaperPageProps) {
  const s = props.similar;
  if (!s) return null;
  const sorts: [SimilarSort, string][] = [
    ['similarity', 'Most similar'],
    ['recent', 'Newest'],
    ['popular', 'Most upvoted'],
  ];
  return (
    <section aria-labelledby="similar-h" id="similar">
      <div class="section-head">
        <h2 id="similar-h">Similar papers</h2>
        {'items' in s && (
          <nav class="segmented" aria-label="Sort similar papers">
            {sorts.map(([k, label]) => (
              <a href={`${paperHref(props.paper.id)}${qs({ similar: k === 'similarity' ? undefined : k })}#similar`} aria-current={s.sort === k ? 'true' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        )}
      </div>
      {'unavailable' in s ? (
        <p class="muted">{s.unavailable}</p>
      ) : s.items.length === 0 ? (
        <p class="muted">No similar papers found.</p>
      ) : (
        <ol class="cards" data-nav-list>
          {s.items.map((it) => (
            <PaperCard paper={it.paper} level={3} abstractChars={150} votesColumn={s.items.some((x) => x.paper.signals.upvotes !== undefined)} extraMeta={<span class="score" title="similarity score">similarity {it.score.toFixed(2)}</span>} />
          ))}
        </ol>
      )}
    </section>
  );
}
