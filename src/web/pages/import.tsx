/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Import: upload any supported file; progress while it lands; the same per-record report as `radar import`. */
import type { ImportResult } from '../../ingest/import.ts';
import type { Problem } from '../../paper/types.ts';

const n = (x: number) => x.toLocaleString('en-US');

function Problems({ title, list, total }: { title: string; list: Problem[]; total: number }) {
  if (!total) return null;
  return (
    <details open={title.startsWith('Rejected')}>
      <summary>
        {title} ({n(total)})
      </summary>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Field</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {list.slice(0, 200).map((p) => (
              <tr>
                <td>
                  <code>{p.locator}</code>
                </td>
                <td>{p.field ?? ''}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > Math.min(200, list.length) && <p class="muted small">… and {n(total - Math.min(200, list.length))} more (the CLI’s --json lists up to 1,000 per file).</p>}
    </details>
  );
}

export function ImportReportView({ report }: { report: ImportResult }) {
  const t = report.totals;
  return (
    <section class="panel" aria-labelledby="report-h" data-import-report>
      <h2 id="report-h">Import report</h2>
      <div class="counts" aria-label="Totals">
        <span>
          <b>{n(t.records)}</b> records read
        </span>
        <span>
          <b>{n(t.added)}</b> added
        </span>
        <span>
          <b>{n(t.updated)}</b> updated
        </span>
        <span>
          <b>{n(t.unchanged)}</b> unchanged
        </span>
        <span>
          <b>{n(t.merged)}</b> merged duplicates
        </span>
        <span>
          <b>{n(t.rejected)}</b> rejected
        </span>
      </div>
      {report.files.map((f) => (
        <div class="file-report">
          <h3>
            {f.name}{' '}
            <span class="muted small">
              {f.format ? `${f.format}${f.gzip ? ', gzip' : ''}` : 'not read'} · {n(f.records)} records
            </span>
          </h3>
          {f.unreadable ? (
            <div class="notice error">Not read: {f.unreadable}</div>
          ) : (
            <p class="small">
              {n(f.counts.added)} added, {n(f.counts.updated)} updated, {n(f.counts.unchanged)} unchanged, {n(f.counts.merged)} merged,{' '}
              {n(f.rejectedTotal)} rejected
            </p>
          )}
          <Problems title="Rejected records" list={f.rejected} total={f.rejectedTotal} />
          <Problems title="Warnings" list={f.warnings} total={f.warningsTotal} />
        </div>
      ))}
      {report.hooks
        .filter((h) => !h.ok)
        .map((h) => (
          <div class="notice warn">
            After the import, {h.name} failed: {h.error}
          </div>
        ))}
      <p>
        <a href="/">See the daily papers</a> · <a href="/search">Search</a> · <a href="/profiles">Create a profile</a>
      </p>
    </section>
  );
}

export const papersLine = (papers: number) => (papers ? `${n(papers)} ${papers === 1 ? 'paper' : 'papers'} in the database.` : 'The database is empty: start here.');

export function ImportPage({ report, error, papers }: { report?: ImportResult; error?: string; papers: number }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Import papers</h1>
          <div class="sub" data-import-count>
            {papersLine(papers)}
          </div>
        </div>
      </div>
      {error && <div class="notice error">{error}</div>}
      <form class="panel" method="post" action="/import" enctype="multipart/form-data" data-import>
        <div class="dropzone" data-dropzone>
          <p>
            <label for="import-files">
              <strong>Choose files</strong>
            </label>{' '}
            or drop them here.
          </p>
          <input id="import-files" name="files" type="file" multiple />
          <p class="muted small">
            BibTeX · CSL-JSON · arXiv API (Atom) · OAI-PMH · the Kaggle arXiv snapshot · JSON lines · Hugging Face Daily Papers JSON ·
            pasted Daily Papers pages and publication lists (text). Gzip is fine. Duplicates merge with what is already here.
          </p>
        </div>
        <div class="field">
          <label for="import-text">
            Or paste papers <span class="hint">— a Daily Papers page, a publication list, BibTeX, arXiv ids, JSON</span>
          </label>
          <textarea id="import-text" name="text" rows={6} placeholder={'@article{…}\nor titles with authors and abstracts, as copied from a page'} />
        </div>
        <div class="row">
          <button class="btn primary" type="submit">
            Import
          </button>
          <span class="muted small" data-import-status aria-live="polite" />
        </div>
        <progress max={100} value={0} hidden data-import-progress aria-label="Import progress" />
      </form>
      <div data-import-result>{report && <ImportReportView report={report} />}</div>
      <section class="panel" aria-labelledby="cli-h">
        <h2 id="cli-h">Other ways in</h2>
        <p>
          From a terminal: <code>npx radar import FILE…</code> (the same report; <code>--json</code> for scripts).
        </p>
        <p>
          To have new papers arrive by themselves, follow arXiv categories or Hugging Face Daily Papers on <a href="/sources">Sources</a>: the
          app fetches them while it runs. Once, from a terminal: <code>npx radar fetch arxiv-new --category cs.LG cs.CL</code>,{' '}
          <code>npx radar fetch hf --days 7</code>, or <code>npx radar fetch arxiv-oai --set cs --from 2025-01-01</code> (a bulk back-fill).
        </p>
      </section>
    </>
  );
}
