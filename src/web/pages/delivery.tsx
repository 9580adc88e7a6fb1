/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** A profile's delivery: e-mail address and cadence, webhook, and the RSS/Atom links with copy buttons. */
import type { DeliveryView } from '../../app/delivery.ts';
import { Notice } from '../components.tsx';

export interface DeliveryValues {
  email?: string;
  cadence?: string;
  weekday?: string;
  webhookUrl?: string;
}

const WEEKDAYS: [string, string][] = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];

function FeedLink({ label, url, id }: { label: string; url: string; id: string }) {
  return (
    <div class="feed-link">
      <label for={id}>{label}</label>
      <input id={id} type="text" readOnly value={url} data-feed-link={label} />
      <a class="btn small" href={url}>
        Open
      </a>
      <button class="btn small" type="button" data-copy={url} hidden aria-label={`Copy the ${label} link`}>
        Copy
      </button>
    </div>
  );
}

export function DeliverySection({ view, base, values, error }: { view: DeliveryView; base: string; values?: DeliveryValues; error?: string }) {
  const s = view.stored;
  const cadence = values?.cadence ?? s.cadence;
  return (
    <section class="panel" aria-labelledby="delivery-h" id="delivery">
      <h2 id="delivery-h">Delivery</h2>
      <p class="muted small">
        New papers for this profile, ranked, by e-mail, in a feed reader, or posted to a webhook. Digests cover the listing days since the last
        one. The mail server is set on <a href="/settings/mail">Mail settings</a>.
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      {view.warnings.map((w) => (
        <Notice kind="warn">{w.charAt(0).toUpperCase() + w.slice(1)}.</Notice>
      ))}
      <form method="post" action={`${base}/delivery`}>
        <div class="row top">
          <div class="field grow-field">
            <label for="d-email">
              E-mail address <span class="hint">— several separated by commas; empty for none</span>
            </label>
            <input id="d-email" name="email" type="text" inputMode="email" autocomplete="email" value={values?.email ?? s.email.join(', ')} placeholder="you@example.org" />
          </div>
          <fieldset class="field">
            <legend>Cadence</legend>
            {(['daily', 'weekly', 'off'] as const).map((c) => (
              <label class="inline-choice">
                <input type="radio" name="cadence" value={c} checked={cadence === c} /> {c === 'off' ? 'Off' : c === 'daily' ? 'Daily' : 'Weekly'}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="d-weekday">Weekly on</label>
            <select id="d-weekday" name="weekday">
              {WEEKDAYS.map(([v, l]) => (
                <option value={v} selected={(values?.weekday ?? s.weekday) === v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="field">
          <label for="d-webhook">
            Webhook <span class="hint">— each digest POSTed as JSON to this http(s) URL; empty for none</span>
          </label>
          <input id="d-webhook" name="webhookUrl" type="url" value={values?.webhookUrl ?? s.webhookUrl ?? ''} placeholder="https://example.org/hooks/radar" />
        </div>
        <button class="btn" type="submit">
          Save delivery
        </button>
      </form>
      <h3>Feed</h3>
      <FeedLink label="RSS" url={view.feeds.rss} id="d-rss" />
      <FeedLink label="Atom" url={view.feeds.atom} id="d-atom" />
      <p class="muted small">Anyone with these links can read this profile’s feed; they carry a secret token.</p>
    </section>
  );
}
