/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Smaller pages: an author's papers, collections, errors. */
import type { Collection, StoredPaper } from '../../store/types.ts';
import { authorHref, Notice, PaperCard, paperHref } from '../components.tsx';

export function AuthorPage({ name, papers, others }: { name: string; papers: StoredPaper[]; others: { name: string; papers: number }[] }) {
  const alike = others.filter((o) => o.name !== name).slice(0, 8);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{name}</h1>
          <div class="sub">
            {papers.length} {papers.length === 1 ? 'paper' : 'papers'} in this database
          </div>
        </div>
      </div>
      {alike.length > 0 && (
        <p class="muted small">
          Similar names:{' '}
          {alike.map((o, i) => (
            <>
              {i > 0 && ', '}
              <a href={authorHref(o.name)}>{o.name}</a> ({o.papers})
            </>
          ))}
        </p>
      )}
      {papers.length === 0 ? (
        <div class="panel muted">No papers by this name. Names are matched exactly (ignoring accents and case).</div>
      ) : (
        <ol class="cards" data-nav-list>
          {papers.map((p) => (
            <PaperCard paper={p} />
          ))}
        </ol>
      )}
    </>
  );
}

export function CollectionsPage({ collections, flash, error }: { collections: Collection[]; flash?: string; error?: string }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Collections</h1>
          <div class="sub">Saved papers in named lists, exportable as BibTeX.</div>
        </div>
      </div>
      {flash && <Notice kind="ok">{flash}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <form class="panel row" method="post" action="/collections">
        <label for="new-collection">New collection</label>
        <input id="new-collection" name="name" type="text" required maxLength={100} placeholder="e.g. Reading group" />
        <button class="btn primary small" type="submit">
          Create
        </button>
      </form>
      {collections.length === 0 ? (
        <div class="panel empty">
          <h2>No collections yet</h2>
          <p class="muted">
            Save a paper from its page (“Save to collection”) or press <kbd>s</kbd> on a paper in your feed: it lands in <em>Saved</em>. Create
            more collections above for reading groups or projects.
          </p>
        </div>
      ) : (
        <ul class="list panel">
          {collections.map((c) => (
            <li>
              <div class="grow">
                <a href={`/collections/${encodeURIComponent(c.name)}`}>
                  <strong>{c.name}</strong>
                </a>
                <div class="muted small">
                  {c.papers} {c.papers === 1 ? 'paper' : 'papers'}
                </div>
              </div>
              <a class="btn small" href={`/api/collections/${encodeURIComponent(c.name)}/bibtex`} download>
                BibTeX
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function CollectionPage({ collection, papers, flash }: { collection: Collection; papers: { paper: StoredPaper; addedAt: string }[]; flash?: string }) {
  const base = `/collections/${encodeURIComponent(collection.name)}`;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{collection.name}</h1>
          <div class="sub">
            <a href="/collections">Collections</a> · {papers.length} {papers.length === 1 ? 'paper' : 'papers'}
          </div>
        </div>
        <div class="spacer" />
        <a class="btn" href={`/api/collections/${encodeURIComponent(collection.name)}/bibtex`} download>
          Export BibTeX
        </a>
        <form class="inline-form" method="post" action={`${base}/delete`} data-confirm={`Delete the collection “${collection.name}”? Its papers stay in the database.`}>
          <button class="btn danger" type="submit">
            Delete
          </button>
        </form>
      </div>
      {flash && <Notice kind="ok">{flash}</Notice>}
      {papers.length === 0 ? (
        <div class="panel muted">This collection is empty. Add papers from their pages.</div>
      ) : (
        <ol class="cards" data-nav-list>
          {papers.map(({ paper }) => (
            <PaperCard paper={paper}>
              <div class="actions">
                <form class="inline-form" method="post" action={`${base}/remove`}>
                  <input type="hidden" name="id" value={paper.id} />
                  <button class="btn small" type="submit">
                    Remove from {collection.name}
                  </button>
                </form>
              </div>
            </PaperCard>
          ))}
        </ol>
      )}
    </>
  );
}

export function ErrorPage({ status, message }: { status: number; message: string }) {
  const title = status === 404 ? 'Not found' : status === 400 ? 'That did not work' : status >= 500 ? 'Something went wrong' : 'Error';
  return (
    <div class="panel empty">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Daily papers</a> · <a href="/search">Search</a> · <a href="/import">Import</a>
      </p>
    </div>
  );
}

export { paperHref };
