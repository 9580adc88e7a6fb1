/**
 * Server memory under a large upload, and how fast SIGTERM stops it: starts
 * `radar serve` of a checkout on a fresh database, posts FILES files of MB
 * megabytes each (JSON Lines) to the Import page in one request, prints the
 * server's peak RSS (VmHWM) before and once the upload is received, then sends SIGTERM during a
 * second upload and prints how long the process took to exit.
 *   npx tsx bench/upload.ts [RADAR_BIN] [--files 8] [--mb 52]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const bin = resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'bin/radar.js');
const files = opt('files', 8);
const mb = opt('mb', 52);
const dir = mkdtempSync(join(tmpdir(), 'radar-upload-bench-'));

const hwm = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);

function start() {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', join(dir, `r${Date.now()}.db`)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, RADAR_CONFIG: '' } });
  let err = '';
  const url = new Promise<string>((ok, fail) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /Paper Radar on (\S+)/.exec(err);
      if (m) ok(m[1]);
    });
    child.on('exit', (c) => fail(new Error(`exited ${c}: ${err}`)));
  });
  return { child, url, err: () => err };
}

function body(): FormData {
  const line = (i: number) => JSON.stringify({ id: `2501.${String(i % 100000).padStart(5, '0')}`, title: `Paper ${i} about graphs`, abstract: 'x'.repeat(300), announced: '2025-01-02' });
  const one: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const l = line(i);
    one.push(l);
    size += l.length + 1;
  }
  const blob = new Blob([one.join('\n')]);
  const form = new FormData();
  for (let f = 0; f < files; f++) form.append('files', blob, `f${f}.jsonl`);
  return form;
}

try {
  const form = body();
  const s = start();
  const url = await s.url;
  const before = hwm(s.child.pid!);
  const t0 = performance.now();
  const res = await fetch(`${url}/import?stream=1`, { method: 'POST', body: form, headers: { origin: url } });
  // The first progress line comes once the whole upload was received: the peak then is what receiving it cost.
  const r1 = res.body!.getReader();
  let first = '';
  while (!first.includes('\n')) {
    const { value, done } = await r1.read();
    if (done) break;
    first += new TextDecoder().decode(value);
  }
  console.log(`upload ${files} × ${mb} MB: HTTP ${res.status}, received in ${((performance.now() - t0) / 1000).toFixed(1)} s, server peak RSS ${before} MB before → ${hwm(s.child.pid!)} MB once received`);
  s.child.kill('SIGKILL');

  const s2 = start();
  const url2 = await s2.url;
  const res2 = await fetch(`${url2}/import?stream=1`, { method: 'POST', body: form, headers: { origin: url2 } });
  const reader = res2.body!.getReader();
  let seen = '';
  while (!/"records":[1-9]/.test(seen)) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  const t1 = performance.now();
  const exited = new Promise((r) => s2.child.on('exit', r));
  s2.child.kill('SIGTERM');
  const timeout = new Promise((r) => setTimeout(() => r('timeout'), 30_000));
  const how = await Promise.race([exited.then(() => 'exited'), timeout]);
  console.log(`SIGTERM mid-import: ${how} after ${((performance.now() - t1) / 1000).toFixed(2)} s`);
  if (how === 'timeout') s2.child.kill('SIGKILL');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
