import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, userAgentFor, validateConfig } from '../../src/config/load.ts';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('runs on defaults when there is no file', () => {
    const dir = tempDir();
    const { config, path } = loadConfig({ dbLocation: join(dir, 'radar.db'), env: {} });
    expect(path).toBeUndefined();
    expect(config.sources.arxivApi).toBe('https://export.arxiv.org/api/query');
    expect(config.http.minIntervalMs).toBe(3000);
    expect(config.jobs).toEqual([]);
    expect(config.calendar.digestDays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('finds radar.config.yaml next to the database and applies defaults inside sections', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'radar.config.yaml'),
      `
baseUrl: https://radar.example.org
smtp: { url: "smtp://127.0.0.1:2525" }
jobs:
  - name: hf
    schedule: "0 */6 * * *"
    task: { type: fetch, source: hf }
profiles:
  ada:
    digest: { email: { to: [ada@example.org] } }
`,
    );
    const { config, path } = loadConfig({ dbLocation: join(dir, 'radar.db'), env: {} });
    expect(path).toBe(join(dir, 'radar.config.yaml'));
    expect(config.jobs[0]).toMatchObject({ name: 'hf', maxAttempts: 5, task: { type: 'fetch', source: 'hf', days: 2, categories: [] } });
    expect(config.profiles.ada.digest).toMatchObject({ frequency: 'daily', limit: 10, rss: true });
  });

  it('lets env variables override keys, and names the variable when its value is bad', () => {
    const c = validateConfig({}, 'test', { RADAR_SMTP_URL: 'smtp://mail:25', RADAR_HF_URL: 'http://127.0.0.1:9/', RADAR_CONTACT: 'me@x.org' });
    expect(c.smtp.url).toBe('smtp://mail:25');
    expect(c.sources.huggingFace).toBe('http://127.0.0.1:9/');
    expect(userAgentFor(c)).toContain('mailto:me@x.org');
    const p = problems(() => validateConfig({}, 'test', { RADAR_SMTP_URL: 'mail.example.org', RADAR_HTTP_MIN_INTERVAL_MS: 'fast' }));
    expect(p).toContainEqual(expect.stringMatching(/^smtp\.url \(from env RADAR_SMTP_URL\): expected smtp:/));
    expect(p).toContainEqual(expect.stringMatching(/^http\.minIntervalMs \(from env RADAR_HTTP_MIN_INTERVAL_MS\): expected a whole number/));
  });

  it('reports every bad key with its path and reason', () => {
    const p = problems(() =>
      validateConfig(
        {
          timezone: 'Mars/Olympus',
          colour: 'blue',
          jobs: [
            { name: 'a', schedule: 'every day', task: { type: 'fetch', source: 'arxiv-new' } },
            { name: 'a', schedule: '0 7 * * *', task: { type: 'teleport' } },
          ],
          profiles: { ada: { digest: { frequency: 'hourly', email: { to: ['not-an-address'] } } } },
          calendar: { holidays: ['25 Dec'] },
        },
        'bad.yaml',
        {},
      ),
    );
    const text = p.join('\n');
    expect(text).toMatch(/timezone: unknown time zone "Mars\/Olympus"/);
    expect(text).toMatch(/\(top level\): Unrecognized key: "colour"/);
    expect(text).toMatch(/jobs\.0\.schedule: invalid cron expression "every day"/);
    expect(text).toMatch(/jobs\.1\.task\.type/);
    expect(text).toMatch(/profiles\.ada\.digest\.frequency/);
    expect(text).toMatch(/profiles\.ada\.digest\.email\.to\.0: expected an e-mail address/);
    expect(text).toMatch(/calendar\.holidays\.0: expected a day as YYYY-MM-DD/);
  });

  it('requires SMTP settings when a profile wants e-mail, and rejects duplicate job names', () => {
    const p = problems(() =>
      validateConfig(
        {
          jobs: [
            { name: 'x', schedule: '0 7 * * *', task: { type: 'digests' } },
            { name: 'x', schedule: '0 8 * * *', task: { type: 'digests' } },
          ],
          profiles: { ada: { digest: { email: { to: ['ada@example.org'] } } } },
        },
        'c.yaml',
        {},
      ),
    );
    expect(p).toContain('profiles.ada.digest.email: e-mail delivery needs smtp.url (or env RADAR_SMTP_URL)');
    expect(p).toContain('jobs.1.name: duplicate job name "x"');
  });

  it('names a digest job profile that has no delivery settings', () => {
    const p = problems(() =>
      validateConfig(
        {
          jobs: [{ name: 'digests', schedule: '0 7 * * *', task: { type: 'digests', profiles: ['ada', 'adah'] } }],
          profiles: { ada: { digest: { rss: true } } },
        },
        'c.yaml',
        {},
      ),
    );
    expect(p).toEqual(['jobs.0.task.profiles.1: profile "adah" has no digest settings (profiles.adah.digest); configured: ada']);
  });

  it('says which file could not be parsed', () => {
    const dir = tempDir();
    const f = join(dir, 'broken.yaml');
    writeFileSync(f, 'jobs: [\n  - name: x\n  oops: : :');
    const err = (() => {
      try {
        loadConfig({ flag: f, env: {} });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.message).toContain(f);
    expect(err?.message).toMatch(/cannot be read as YAML/);
  });

  it('accepts the documented example configuration', () => {
    const { config } = loadConfig({ flag: join(PROJECT_ROOT, 'docs', 'config.example.yaml'), env: {} });
    expect(config.jobs.length).toBeGreaterThan(3);
    expect(Object.keys(config.profiles).length).toBeGreaterThan(0);
  });
});
