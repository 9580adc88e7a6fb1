import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { SqliteStore } from '../../src/store/sqlite/store.ts';
import { tempDir } from '../helpers/tmp.ts';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  out.on('data', (d) => (chunks.stdout += d));
  err.on('data', (d) => (chunks.stderr += d));
  const code = await main(args, { stdout: out, stderr: err });
  return { code, ...chunks };
}

describe('radar users and radar tokens', () => {
  beforeEach(() => {
    process.env.RADAR_PASSWORD = 'a long enough password';
  });
  afterEach(() => {
    delete process.env.RADAR_PASSWORD;
  });

  it('adds the first admin, who keeps the profiles made before; invites, lists, removes; makes and revokes tokens', async () => {
    const db = join(tempDir(), 'radar.db');
    const before = new SqliteStore(db);
    await before.profiles.createProfile('mine', {}, '2026-01-01T00:00:00.000Z');
    await before.close();

    const short = await run(['--db', db, 'users', 'add', 'ada', '--admin']);
    expect(short.code).toBe(0);
    expect(short.stderr).toMatch(/added admin "ada"; sign-in is now required/);
    process.env.RADAR_PASSWORD = 'short';
    const weak = await run(['--db', db, 'users', 'add', 'bob']);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/at least 10 characters/);
    process.env.RADAR_PASSWORD = 'another long password';
    expect((await run(['--db', db, 'users', 'add', 'bob'])).code).toBe(0);
    expect((await run(['--db', db, 'users', 'add', 'bob'])).stderr).toMatch(/already an account named "bob"/);

    const list = await run(['--db', db, '--json', 'users', 'list']);
    expect(JSON.parse(list.stdout).map((u: { name: string; role: string }) => [u.name, u.role])).toEqual([
      ['ada', 'admin'],
      ['bob', 'member'],
    ]);

    const inv = await run(['--db', db, '--json', 'users', 'invite', '--url', 'https://radar.lab.example/']);
    expect(inv.code).toBe(0);
    expect(JSON.parse(inv.stdout)).toMatchObject({ role: 'member', url: expect.stringMatching(/^https:\/\/radar\.lab\.example\/invite\/[A-Za-z0-9_-]{43}$/) });

    const tok = await run(['--db', db, '--json', 'tokens', 'create', 'cron', '--user', 'bob']);
    const { token, tokenId } = JSON.parse(tok.stdout);
    expect(token).toMatch(/^radar_/);
    expect(JSON.parse((await run(['--db', db, '--json', 'tokens', 'list', '--user', 'bob'])).stdout)).toMatchObject([{ tokenId, name: 'cron' }]);
    expect((await run(['--db', db, 'tokens', 'revoke', String(tokenId), '--user', 'ada'])).code).toBe(1);
    expect((await run(['--db', db, 'tokens', 'revoke', String(tokenId), '--user', 'bob'])).code).toBe(0);

    expect((await run(['--db', db, 'users', 'remove', 'ada'])).stderr).toMatch(/only admin/);
    expect((await run(['--db', db, 'users', 'remove', 'bob'])).code).toBe(0);

    const after = new SqliteStore(db);
    try {
      const ada = (await after.accounts.getUser('ada'))!;
      expect((await after.forOwner(ada.userId).profiles.listProfiles()).map((p) => p.name)).toEqual(['mine']);
      expect((await after.accounts.listUsers()).map((u) => u.name)).toEqual(['ada']);
    } finally {
      await after.close();
    }
  });

  it('serve refuses to listen beyond loopback until an admin exists', async () => {
    const db = join(tempDir(), 'radar.db');
    const r = await run(['--db', db, 'serve', '--host', '0.0.0.0', '--port', '0', '--no-jobs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 with no accounts.*radar users add NAME --admin.*--open/s);
  });
});
