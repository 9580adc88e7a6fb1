/** `radar serve` as `npm start` runs it: a real process on a free port, answering pages and the API, stopping on SIGTERM. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

function startServe(db: string) {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'radar.js'), 'serve', '--port', '0', '--db', db], {
    cwd: tempDir(),
    env: { ...process.env, RADAR_CONFIG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stderr: '' };
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s; stderr: ${out.stderr}`)), 30_000);
    child.stderr.on('data', (c: Buffer) => {
      out.stderr += c.toString();
      const m = /Paper Radar on (http:\/\/\S+)/.exec(out.stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out.stderr}`)));
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, url, out };
}

describe('radar serve', () => {
  it('stops on SIGTERM in the middle of an uploaded import, keeping the batches it committed', async () => {
    const db = join(tempDir(), 'radar.db');
    const { child, url: started, out } = startServe(db);
    const url = await started;
    const lines = Array.from({ length: 150_000 }, (_, i) =>
      JSON.stringify({ id: `2501.${String(i).padStart(5, '0')}`, title: `Paper number ${i} about graphs and tokens`, abstract: `Abstract ${i} on diffusion, attention and retrieval.`, announced: '2025-01-02' }),
    );
    const form = new FormData();
    form.append('files', new Blob([lines.join('\n')]), 'big.jsonl');
    const res = await fetch(`${url}/import?stream=1`, { method: 'POST', body: form, headers: { origin: url } });
    expect(res.status).toBe(200);
    // Wait for progress with records read: the import is under way.
    const reader = res.body!.getReader();
    let text = '';
    while (!/"records":[1-9]/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the import ended before it could be interrupted: ${text}`);
      text += new TextDecoder().decode(value);
    }
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out.stderr).toMatch(/did not finish within 1 s; stopped it \(what it committed stays\)/);
    const d = new Database(db, { readonly: true });
    try {
      const n = (d.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
      expect(n % 250).toBe(0);
      expect(n).toBeLessThan(150_000);
    } finally {
      d.close();
    }
  });

  it('serves the app over a real socket on the database it is given, and stops cleanly', async () => {
    const db = join(tempDir(), 'radar.db');
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'radar.js'), 'serve', '--port', '0', '--db', db], {
      cwd: tempDir(),
      env: { ...process.env, RADAR_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 30 s; stderr: ${stderr}`)), 30_000);
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /Paper Radar on (http:\/\/\S+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    try {
      expect(stderr).toContain(db);
      const health = await fetch(`${url}/api/health`);
      expect(await health.json()).toMatchObject({ ok: true, store: 'sqlite' });
      const home = await fetch(`${url}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('No papers yet');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
