/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** The Trends page (topics with sparklines, rising terms) and the Map page's frame; the "rising in your area" block. */
import type { TrendsView } from '../../app/topics.ts';
import type { TopicSummary } from '../../vectors/topics/read.ts';
import { qs } from '../components.tsx';

/** Papers per week as an inline SVG line, scaled to its own maximum. */
export function Sparkline({ values, width = 130, height = 28, label }: { values: number[]; width?: number; height?: number; label: string }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  const recent = values.length - 4;
  return (
    <svg class="spark" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      <rect class="spark-recent" x={(recent * step).toFixed(1)} y="0" width={(width - recent * step).toFixed(1)} height={height} />
      <polyline points={pts} fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
    </svg>
  );
}

function growthText(t: TopicSummary): string {
  return `×${t.growth.toFixed(2)}`;
}

function TopicRow({ t }: { t: TopicSummary }) {
  return (
    <li class={`topic-row${t.rising ? ' rising' : ''}`} data-topic={t.id}>
      <Sparkline values={t.trend} label={`papers per week over 26 weeks: ${t.trend.join(', ')}`} />
      <div class="grow">
        <a href={`/search${qs({ q: t.terms.slice(0, 2).map((x) => `"${x}"`).join(' OR ') })}`} class="topic-label">
          {t.label}
        </a>
        <div class="muted small">
          {t.size.toLocaleString('en')} papers · {t.recent} this month, {t.before} in the three before
          {t.terms.length > 3 ? ` · also: ${t.terms.slice(3, 7).join(', ')}` : ''}
        </div>
      </div>
      <div class="topic-growth">
        <span class={t.rising ? 'badge good' : 'muted'} title={`q = ${t.q.toExponential(1)}`}>
          {growthText(t)}
          {t.rising ? ' rising' : ''}
        </span>
      </div>
    </li>
  );
}

export function TrendsPage({ trends, profile, profiles }: { trends: TrendsView; profile?: string; profiles: string[] }) {
  const view = trends.topics;
  return (
    <section class="trends">
      <div class="page-head">
        <div>
          <h1>Trends</h1>
          <div class="sub">
            {view
              ? `Topics ${profile ? `near ${profile}'s papers` : 'of the whole corpus'}, most rising first: papers per week over the 26 weeks to ${view.lastWeek}; the shaded part is this month.`
              : 'No topics yet.'}
          </div>
        </div>
        <ProfilePicker action="/trends" id="trends-profile" label="Near" none="the whole corpus" profiles={profiles} profile={profile} />
        <a class="btn small" href={`/map${qs({ profile })}`}>
          Map
        </a>
      </div>
      {!view ? (
        <div class="panel empty">
          <p class="muted">Topics are built with the indexes once there are enough papers with vectors (import a listing, or run `radar topics --rebuild`).</p>
        </div>
      ) : (
        <div class="trends-grid">
          <ol class="list panel topic-list">
            {view.topics.map((t) => (
              <TopicRow t={t} />
            ))}
          </ol>
          <aside class="panel rising-terms">
            <h2>Rising terms</h2>
            <p class="muted small">This month against the three before; significant at a 5 % false discovery rate.</p>
            {trends.terms.length === 0 ? (
              <p class="muted small">None this month.</p>
            ) : (
              <ul class="plain">
                {trends.terms.map((t) => (
                  <li>
                    <a href={`/search${qs({ q: `"${t.term}"` })}`}>{t.term}</a>{' '}
                    <span class="muted small">
                      ×{t.growth.toFixed(1)} ({t.before} → {t.recent})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </aside>
        </div>
      )}
      <p class="muted small">
        ×growth is the topic's share of papers this month divided by its share in the three months before. "Rising" means a one-sided binomial test of that
        rise, with the Benjamini–Hochberg correction across all topics, says it is unlikely to be noise.
      </p>
    </section>
  );
}

/** "Rising in your area": the rising topics near a profile (nothing when none is rising). */
export function RisingBlock({ topics, profile }: { topics: TopicSummary[]; profile: string }) {
  if (topics.length === 0) return null;
  return (
    <section class="panel rising-block" aria-labelledby="rising-title">
      <h2 id="rising-title">Rising in your area</h2>
      <ul class="plain">
        {topics.map((t) => (
          <li class="row">
            <Sparkline values={t.trend} width={90} height={22} label={`papers per week: ${t.trend.join(', ')}`} />
            <span class="grow">{t.label}</span>
            <span class="badge good">{growthText(t)}</span>
          </li>
        ))}
      </ul>
      <a class="small" href={`/trends${qs({ profile })}`}>
        All trends near {profile}
      </a>
    </section>
  );
}

export function MapPage({ profile, profiles, empty }: { profile?: string; profiles: string[]; empty: boolean }) {
  return (
    <section class="map-page">
      <div class="page-head">
        <div>
          <h1>Map</h1>
          <div class="sub">Every paper placed by what it is about; labels name the topics. Scroll to zoom, drag to pan, click a point to open the paper.</div>
        </div>
        <ProfilePicker action="/map" id="map-profile" label="Highlight" none="no profile" profiles={profiles} profile={profile} />
        <a class="btn small" href={`/trends${qs({ profile })}`}>
          Trends
        </a>
      </div>
      {empty ? (
        <div class="panel empty">
          <p class="muted">The map is built with the topics, once there are enough papers with vectors.</p>
        </div>
      ) : (
        <div class="map-wrap panel" data-map-bin="/api/map.bin" data-map-ids="/api/map.ids" data-map-highlight={profile ? `/api/map/highlight${qs({ profile })}` : undefined}>
          <canvas id="map-canvas" aria-label="Map of the papers" />
          <div class="map-tip" role="status" hidden />
          <div class="map-legend small muted">
            {profile ? (
              <>
                <span class="dot mine" /> {profile}'s papers <span class="dot feed" /> in the feed ·{' '}
              </>
            ) : null}
            <span class="map-count">loading…</span>
          </div>
          <noscript>
            <p class="muted">The map needs JavaScript; the Trends page lists the same topics.</p>
          </noscript>
        </div>
      )}
    </section>
  );
}

/** The profile choice both pages share: submits on change, a button without script. */
function ProfilePicker(props: { action: string; id: string; label: string; none: string; profiles: string[]; profile?: string }) {
  return (
    <form method="get" action={props.action} data-autosubmit class="row">
      <label class="small muted" for={props.id}>
        {props.label}
      </label>
      <select id={props.id} name="profile">
        <option value="">{props.none}</option>
        {props.profiles.map((p) => (
          <option value={p} selected={p === props.profile}>
            {p}
          </option>
        ))}
      </select>
      <noscript>
        <button class="btn small" type="submit">
          Show
        </button>
      </noscript>
    </form>
  );
}
