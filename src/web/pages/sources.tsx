/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Sources: the arXiv categories and Hugging Face Daily Papers the app follows, each with its state in words. */
import type { SourceState } from '../../app/sources.ts';
import { Notice } from '../components.tsx';

export interface SourcesPageProps {
  sources: SourceState[];
  /** The clock, for "3 hours ago" / "in 5 hours". */
  now: Date;
  flash?: string;
  error?: string;
  values?: { source?: string; days?: string };
}

/** `3 hours ago`, `in 2 days`: how far an ISO time is from now. */
export function relativeTime(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const unit = abs < 90_000 ? [Math.round(abs / 1000), 'second'] : abs < 5_400_000 ? [Math.round(abs / 60_000), 'minute'] : abs < 129_600_000 ? [Math.round(abs / 3_600_000), 'hour'] : [Math.round(abs / 86_400_000), 'day'];
  const text = `${unit[0]} ${unit[1]}${unit[0] === 1 ? '' : 's'}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

function When({ iso, now }: { iso: string; now: Date }) {
  return (
    <time dateTime={iso} title={iso}>
      {relativeTime(iso, now)}
    </time>
  );
}

const STATUS: Record<SourceState['status'], string> = { ok: 'working', failing: 'not reached', waiting: 'not fetched yet' };

function Backfill({ b }: { b: NonNullable<SourceState['backfill']> }) {
  const state = b.state === 'done' ? 'done' : b.state === 'running' ? 'running' : b.state === 'queued' ? 'queued' : b.state === 'failed' ? 'failed' : b.state;
  return (
    <div class="small" data-backfill={b.state}>
      Back-fill of the last {b.days} {b.days === 1 ? 'day' : 'days'}: <strong>{state}</strong>
      {b.progress && <> — {b.progress}</>}
      {b.error && <span class="muted"> — {b.error}</span>}
      {(b.state === 'queued' || b.state === 'running') && <progress aria-label="Back-fill progress" />}
    </div>
  );
}

function SourceRow({ s, now }: { s: SourceState; now: Date }) {
  return (
    <li data-source={s.name}>
      <div class="grow">
        <strong>{s.label}</strong> <span class={`pill status-${s.status}`}>{STATUS[s.status]}</span>
        <div class="muted small">
          {s.lastFetchedAt ? (
            <>
              Last fetched <When iso={s.lastFetchedAt} now={now} />
              {s.lastAdded !== undefined && ` (${s.lastAdded} ${s.lastAdded === 1 ? 'paper' : 'papers'} added or updated)`}
            </>
          ) : (
            'Not fetched yet'
          )}
          {s.nextRunAt && (
            <>
              {' '}
              · next run <When iso={s.nextRunAt} now={now} />
            </>
          )}
        </div>
        {s.lastError && (
          <div class="small source-error" data-source-error>
            Last try{s.lastRunAt ? <> (<When iso={s.lastRunAt} now={now} />)</> : null}: {s.lastError}
          </div>
        )}
        {s.backfill && <Backfill b={s.backfill} />}
      </div>
      <form class="inline-form" method="post" action="/sources/remove" data-confirm={`Stop following ${s.label}? Its papers stay.`}>
        <input type="hidden" name="source" value={s.name} />
        <button class="btn small ghost" type="submit" aria-label={`Stop following ${s.label}`}>
          Unfollow
        </button>
      </form>
    </li>
  );
}

export function SourcesPage(p: SourcesPageProps) {
  const busy = p.sources.some((s) => s.backfill && (s.backfill.state === 'queued' || s.backfill.state === 'running'));
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Sources</h1>
          <div class="sub">
            New papers arrive from the sources followed here, fetched while the app runs (arXiv after its evening announcement, Hugging Face
            Daily Papers late each day). Being offline is fine: the next run tries again.
          </div>
        </div>
      </div>
      {p.flash && <Notice kind="ok">{p.flash}</Notice>}
      <div data-refresh-id="sources" data-refresh={busy ? '3' : undefined}>
        {p.sources.length > 0 ? (
          <ul class="list panel" aria-label="Followed sources" data-sources>
            {p.sources.map((s) => (
              <SourceRow s={s} now={p.now} />
            ))}
          </ul>
        ) : (
          <div class="panel muted">No sources followed yet: follow an arXiv category or Hugging Face Daily Papers below.</div>
        )}
        {busy && (
          <p class="muted small" aria-live="polite">
            A back-fill is running; this list follows its progress (or <a href="/sources">reload</a>).
          </p>
        )}
      </div>
      <section class="panel" aria-labelledby="follow-h">
        <h2 id="follow-h">Follow a source</h2>
        {p.error && <Notice kind="error">{p.error}</Notice>}
        <form method="post" action="/sources" class="row top">
          <div class="field grow-field">
            <label for="source-name">
              arXiv category or <code>hf</code> <span class="hint">— cs.LG, cs.CL, math.OC, stat.ML …; hf for Hugging Face Daily Papers</span>
            </label>
            <input id="source-name" name="source" type="text" required maxLength={100} list="source-suggestions" value={p.values?.source ?? ''} placeholder="cs.LG" autocomplete="off" />
            <datalist id="source-suggestions">
              {['hf', 'cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'cs.IR', 'stat.ML', 'math.OC'].map((v) => (
                <option value={v} />
              ))}
            </datalist>
          </div>
          <div class="field">
            <label for="source-days">Fetch the last … days now</label>
            <input id="source-days" name="days" type="number" min={0} max={366} value={p.values?.days ?? '7'} class="narrow-num" />
          </div>
          <button class="btn primary" type="submit">
            Follow
          </button>
        </form>
        <p class="muted small">
          From a terminal: <code>npx radar sources add cs.LG</code>, <code>npx radar sources list</code>. The mail digests’ server is set on{' '}
          <a href="/settings/mail">Mail settings</a>.
        </p>
      </section>
    </>
  );
}
