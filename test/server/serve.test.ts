/** `radar serve` as `npm start` runs it: a real process on a free port, answering pages and the API, stopping on SIGTERM. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('radar serve', () => {
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
