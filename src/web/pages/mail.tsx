/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Mail settings: the SMTP server digests go out through, and a test mail. */
import type { MailView, TestMailResult } from '../../app/mail.ts';
import { Notice } from '../components.tsx';

export interface MailPageProps {
  view: MailView;
  flash?: string;
  error?: string;
  test?: TestMailResult & { to: string };
  values?: { url?: string; from?: string };
}

const ORIGIN: Record<MailView['effective']['origin'], string> = {
  config: 'Set in the configuration file (smtp.url or env RADAR_SMTP_URL); it wins over the settings on this page.',
  database: 'Set on this page.',
  none: 'No SMTP server yet: digests can go to the RSS feed and webhooks, but not by e-mail.',
};

export function MailPage(p: MailPageProps) {
  const eff = p.view.effective;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Mail settings</h1>
          <div class="sub">Where digest e-mails go out. Each profile’s page sets its address and cadence.</div>
        </div>
      </div>
      {p.flash && <Notice kind="ok">{p.flash}</Notice>}
      <section class="panel" aria-labelledby="smtp-now-h">
        <h2 id="smtp-now-h">In use</h2>
        <p data-smtp-state={eff.origin}>
          {eff.url ? (
            <>
              <code>{eff.url}</code> from <code>{eff.from}</code>.{' '}
            </>
          ) : null}
          {ORIGIN[eff.origin]}
        </p>
      </section>
      <section class="panel" aria-labelledby="smtp-h">
        <h2 id="smtp-h">SMTP server</h2>
        {p.error && <Notice kind="error">{p.error}</Notice>}
        <form method="post" action="/settings/mail">
          <div class="field">
            <label for="smtp-url">
              Server <span class="hint">— smtp://user:password@host:587 or smtps://…:465; empty for none</span>
            </label>
            <input id="smtp-url" name="url" type="text" autocomplete="off" spellcheck={false} value={p.values?.url ?? p.view.stored?.url ?? ''} placeholder="smtp://user:password@mail.example.org:587" />
          </div>
          <div class="field">
            <label for="smtp-from">From</label>
            <input id="smtp-from" name="from" type="text" value={p.values?.from ?? p.view.stored?.from ?? ''} placeholder={eff.from} />
          </div>
          <button class="btn primary" type="submit">
            Save mail settings
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="test-h">
        <h2 id="test-h">Send a test mail</h2>
        {p.test && <Notice kind={p.test.ok ? 'ok' : 'error'}>{p.test.message}</Notice>}
        <form method="post" action="/settings/mail/test" class="row">
          <div class="field grow-field">
            <label for="test-to">To</label>
            <input id="test-to" name="to" type="email" required value={p.test?.to ?? ''} placeholder="you@example.org" />
          </div>
          <button class="btn" type="submit">
            Send a test mail
          </button>
        </form>
      </section>
    </>
  );
}
