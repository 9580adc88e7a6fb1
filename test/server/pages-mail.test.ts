import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { NotDeliveredError } from '../../src/digest/deliver.ts';
import { settingsMailer } from '../../src/digest/smtp-settings.ts';
import { smtpCapture } from '../digest/smtp-capture.ts';
import { testServer } from './helpers.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (payload: Record<string, string>) => ({ method: 'POST' as const, headers: FORM, payload: new URLSearchParams(payload).toString() });

describe('web pages: mail settings', () => {
  it('stores an SMTP server set on the page, hides its password, and sends a test mail through it', async () => {
    const smtp = await smtpCapture();
    const { app, store } = await testServer({ seed: false });
    const empty = await app.inject({ url: '/settings/mail' });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No SMTP server yet');

    const noServer = await app.inject({ url: '/settings/mail/test', ...post({ to: 'ada@example.org' }) });
    expect(noServer.body).toContain('No SMTP server is set');
    expect(smtp.messages).toHaveLength(0);

    const bad = await app.inject({ url: '/settings/mail', ...post({ url: 'http://mail.example.org', from: '' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is not an smtp://host:port');

    const withPassword = smtp.url.replace('smtp://', 'smtp://radar:s3cret@');
    const saved = await app.inject({ url: '/settings/mail', ...post({ url: withPassword, from: 'Radar <radar@example.org>' }) });
    expect(saved.statusCode).toBe(303);
    const page = await app.inject({ url: '/settings/mail?flash=saved' });
    expect(page.body).toContain('Mail settings saved.');
    expect(page.body).not.toContain('s3cret');
    expect(page.body).toContain('radar:****@127.0.0.1');

    // Saving the form as shown (password redacted) keeps the stored password.
    await app.inject({ url: '/settings/mail', ...post({ url: withPassword.replace('s3cret', '****'), from: 'Radar <radar@example.org>' }) });
    expect(JSON.stringify(await store.jobs.getState('smtp-settings'))).toContain('s3cret');
    // The capture server takes no AUTH without TLS: send through it without credentials.
    await app.inject({ url: '/settings/mail', ...post({ url: smtp.url, from: 'Radar <radar@example.org>' }) });

    const sent = await app.inject({ url: '/settings/mail/test', ...post({ to: 'ada@example.org' }) });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Test mail sent to ada@example.org');
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].envelope.to).toEqual(['ada@example.org']);
    expect(smtp.messages[0].parsed.subject).toBe('Paper Radar test mail');
    expect(smtp.messages[0].parsed.from?.text).toContain('radar@example.org');

    // Scheduled digests use the same settings, looked up per message.
    const mailer = settingsMailer(store, defaultConfig());
    await mailer.sendMail({ from: 'ignored@localhost', to: 'grace@example.org', subject: 'digest', text: 'x' });
    mailer.close();
    expect(smtp.messages[1].envelope.to).toEqual(['grace@example.org']);
    expect(smtp.messages[1].envelope.from).toBe('radar@example.org');
  });

  it('says in words when the SMTP server refuses the test mail', async () => {
    const smtp = await smtpCapture();
    const { app, store } = await testServer({ seed: false });
    // With no server anywhere, a digest's mail is known not to have gone out (so it is retried, never lost).
    await expect(settingsMailer(store, defaultConfig()).sendMail({ to: 'ada@example.org', subject: 'digest', text: 'x' })).rejects.toBeInstanceOf(NotDeliveredError);
    await app.inject({ url: '/settings/mail', ...post({ url: smtp.url, from: '' }) });
    smtp.failNext();
    const r = await app.inject({ url: '/settings/mail/test', ...post({ to: 'ada@example.org' }) });
    expect(r.statusCode).toBe(502);
    expect(r.body).toContain('did not take the test mail');
    expect(r.body).toContain('mailbox busy');
  });
});
