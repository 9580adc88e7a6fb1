/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Profiles: create one from a researcher's papers, see and edit its papers and rules. */
import type { TopicSummary } from '../../vectors/topics/read.ts';
import { RisingBlock } from './topics.tsx';
import type { AuthorCandidate } from '../../profile/authors.ts';
import type { ProfileDetail, SeedReport } from '../../profile/profiles.ts';
import type { DeliveryView } from '../../app/delivery.ts';
import { Notice, paperHref, qs, shortDate } from '../components.tsx';
import { DeliverySection, type DeliveryValues } from './delivery.tsx';

export interface SourceValues {
  name?: string;
  text?: string;
  arxivIds?: string;
  author?: string;
}

export interface ProfilesPageProps {
  profiles: { name: string; papers: number; createdAt: string }[];
  active?: string;
  values?: SourceValues;
  error?: string;
  candidates?: AuthorCandidate[];
  flash?: string;
}

/** The inputs a profile is seeded from; shared by "create" and "add papers". */
function SourceFields({ values, candidates, idPrefix }: { values?: SourceValues; candidates?: AuthorCandidate[]; idPrefix: string }) {
  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <>
      <div class="field">
        <label for={id('text')}>
          Paste a publication list <span class="hint">— titles with authors and abstracts, as copied from a profile page or a CV</span>
        </label>
        <textarea id={id('text')} name="text" rows={6} placeholder={'Towards Understanding Neural Collapse…\nLeyan Pan, Xinyuan Cao\nNeural Collapse (NC) is a geometric structure…'}>
          {values?.text ?? ''}
        </textarea>
      </div>
      <div class="field">
        <label for={id('file')}>
          Or upload files <span class="hint">— BibTeX or CSL-JSON (a Zotero export), a saved publication list, a list of arXiv ids</span>
        </label>
        <input id={id('file')} name="file" type="file" multiple accept=".bib,.bibtex,.json,.jsonl,.txt,.csv,.xml,.gz,text/*,application/json" />
      </div>
      <div class="row">
        <div class="field grow-field">
          <label for={id('ids')}>
            arXiv ids <span class="hint">— separated by spaces or lines</span>
          </label>
          <input id={id('ids')} name="arxivIds" type="text" value={values?.arxivIds ?? ''} placeholder="2510.05069 2503.02103" />
        </div>
        <div class="field grow-field">
          <label for={id('author')}>
            Author name <span class="hint">— matched among the papers here</span>
          </label>
          <input id={id('author')} name="author" type="text" value={values?.author ?? ''} placeholder="Leyan Pan" autocomplete="off" />
        </div>
      </div>
      {candidates && candidates.length > 0 && (
        <fieldset class="panel">
          <legend>
            <strong>Several people match “{values?.author}”. Which one?</strong>
          </legend>
          {candidates.map((c) => (
            <div class="field">
              <label>
                <input type="radio" name="authorPick" value={String(c.n)} required /> {c.name} — {c.papers} {c.papers === 1 ? 'paper' : 'papers'}
                {c.years ? `, ${c.years}` : ''}
              </label>
              <span class="hint">
                {c.topics.length > 0 && `Topics: ${c.topics.join(', ')}. `}
                {c.coauthors.length > 0 && `With ${c.coauthors.slice(0, 4).join(', ')}. `}
                {c.sampleTitles[0] && `e.g. “${c.sampleTitles[0]}”`}
              </span>
            </div>
          ))}
        </fieldset>
      )}
    </>
  );
}

export function ProfilesPage(p: ProfilesPageProps) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Profiles</h1>
          <div class="sub">A profile is a researcher’s (or a topic’s) papers. Paper Radar ranks new papers against it and says why.</div>
        </div>
      </div>
      {p.flash && <Notice kind="ok">{p.flash}</Notice>}
      {p.profiles.length > 0 && (
        <ul class="list panel" aria-label="Profiles">
          {p.profiles.map((pr) => (
            <li>
              <div class="grow">
                <a href={`/profiles/${encodeURIComponent(pr.name)}`}>
                  <strong>{pr.name}</strong>
                </a>
                {pr.name === p.active && (
                  <>
                    {' '}
                    <span class="pill" title="The profile this browser uses for “For me” and the paper pages">
                      active
                    </span>
                  </>
                )}
                <div class="muted small">
                  {pr.papers} {pr.papers === 1 ? 'paper' : 'papers'} · created {shortDate(pr.createdAt.slice(0, 10))}
                </div>
              </div>
              <a class="btn small primary" href={`/feed${qs({ profile: pr.name })}`}>
                Feed
              </a>
              <a class="btn small" href={`/profiles/${encodeURIComponent(pr.name)}`}>
                Papers &amp; rules
              </a>
            </li>
          ))}
        </ul>
      )}
      <section class="panel" id="create" aria-labelledby="create-h">
        <h2 id="create-h">{p.profiles.length ? 'New profile' : 'Create your first profile'}</h2>
        {p.error && <Notice kind="error">{p.error}</Notice>}
        <form method="post" action="/profiles" enctype="multipart/form-data" data-busy-form>
          <div class="field">
            <label for="profile-name">Name</label>
            <input id="profile-name" name="name" type="text" required maxLength={64} value={p.values?.name ?? ''} placeholder="e.g. your name, or a topic" class="narrow" />
          </div>
          <SourceFields values={p.values} candidates={p.candidates} idPrefix="create" />
          <button class="btn primary" type="submit">
            Create profile
          </button>
        </form>
      </section>
    </>
  );
}

export interface ProfilePageProps {
  detail: ProfileDetail;
  delivery: DeliveryView;
  deliveryValues?: DeliveryValues;
  deliveryError?: string;
  flash?: string;
  error?: string;
  report?: SeedReport;
  values?: SourceValues;
  candidates?: AuthorCandidate[];
  /** Rising topics near the profile, for the "rising in your area" block. */
  rising?: TopicSummary[];
}

const list = (xs: string[] | undefined) => (xs ?? []).join('\n');

export function ProfilePage(p: ProfilePageProps) {
  const d = p.detail;
  const base = `/profiles/${encodeURIComponent(d.name)}`;
  const fb = d.feedback;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{d.name}</h1>
          <div class="sub">
            <a href="/profiles">Profiles</a> · {d.papers.length} {d.papers.length === 1 ? 'paper' : 'papers'} · {fb.like} liked · {fb.save} saved · {fb.dismiss}{' '}
            dismissed
          </div>
        </div>
        <div class="spacer" />
        <a class="btn primary" href={`/feed${qs({ profile: d.name })}`}>
          Open feed
        </a>
        <form class="inline-form" method="post" action={`${base}/delete`} data-confirm={`Delete the profile “${d.name}” and its feedback? Papers stay in the database.`}>
          <button class="btn danger" type="submit">
            Delete
          </button>
        </form>
      </div>
      {p.flash && <Notice kind="ok">{p.flash}</Notice>}
      {p.report && <SeedReportView report={p.report} />}
      {p.rising && <RisingBlock topics={p.rising} profile={d.name} />}

      <section aria-labelledby="papers-h">
        <div class="section-head">
          <h2 id="papers-h">Papers</h2>
        </div>
        {d.papers.length === 0 ? (
          <div class="panel muted">No papers yet: add some below.</div>
        ) : (
          <ul class="list panel">
            {d.papers.map((x) => (
              <li>
                <div class="grow">
                  <a href={paperHref(x.id)}>{x.title || x.id}</a>
                  <div class="muted small">
                    {x.date ? shortDate(x.date) : 'undated'} · from {x.origin}
                  </div>
                </div>
                <form class="inline-form" method="post" action={`${base}/remove`}>
                  <input type="hidden" name="id" value={x.id} />
                  <button class="btn small ghost" type="submit" aria-label={`Remove “${x.title || x.id}” from the profile`}>
                    Remove
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="panel" aria-labelledby="add-h">
        <h2 id="add-h">Add papers</h2>
        {p.error && <Notice kind="error">{p.error}</Notice>}
        <form method="post" action={`${base}/add`} enctype="multipart/form-data" data-busy-form>
          <SourceFields values={p.values} candidates={p.candidates} idPrefix="add" />
          <button class="btn primary" type="submit">
            Add to {d.name}
          </button>
        </form>
      </section>

      <DeliverySection view={p.delivery} base={base} values={p.deliveryValues} error={p.deliveryError} />

      <section class="panel" aria-labelledby="rules-h">
        <h2 id="rules-h">Rules</h2>
        <p class="muted small">On top of the learned ranking. One entry per line.</p>
        <form method="post" action={`${base}/rules`}>
          <div class="row top">
            <div class="field grow-field">
              <label for="r-must">Must mention (any of)</label>
              <textarea id="r-must" name="must" rows={3}>
                {list(d.rules.must)}
              </textarea>
            </div>
            <div class="field grow-field">
              <label for="r-never">Never mention</label>
              <textarea id="r-never" name="never" rows={3}>
                {list(d.rules.never)}
              </textarea>
            </div>
          </div>
          <div class="row top">
            <div class="field grow-field">
              <label for="r-authors">Followed authors</label>
              <textarea id="r-authors" name="authors" rows={3}>
                {list(d.rules.authors)}
              </textarea>
            </div>
            <div class="field grow-field">
              <label for="r-orgs">Followed organisations</label>
              <textarea id="r-orgs" name="organizations" rows={3}>
                {list(d.rules.organizations)}
              </textarea>
            </div>
          </div>
          <div class="field">
            <label for="r-cutoff">
              Relevance cut-off <span class="hint">— blank for the default; lower shows more papers</span>
            </label>
            <input id="r-cutoff" name="cutoff" type="number" step="0.1" value={d.rules.cutoff === undefined ? '' : String(d.rules.cutoff)} class="narrow-num" />
          </div>
          <button class="btn" type="submit">
            Save rules
          </button>
        </form>
      </section>
    </>
  );
}

export function SeedReportView({ report }: { report: SeedReport }) {
  return (
    <div class={`notice ${report.problems.length ? 'warn' : 'ok'}`} role="status">
      {report.added} {report.added === 1 ? 'paper' : 'papers'} added; the profile now has {report.total}.
      {report.withoutText.length > 0 && ` ${report.withoutText.length} have no text yet (bare arXiv ids): they count once fetched from arXiv.`}
      {report.problems.length > 0 && (
        <ul>
          {report.problems.slice(0, 20).map((x) => (
            <li>{x}</li>
          ))}
          {report.problems.length > 20 && <li>… and {report.problems.length - 20} more</li>}
        </ul>
      )}
    </div>
  );
}
