/**
 * The hostile-input corpus (test/fixtures/hostile/generate.ts) through the
 * real `radar import` command: each file costs little, is reported in words
 * that name what is wrong, and loses none of the good records beside it.
 * (bench/hostile.ts runs the same corpus, big cases included, and prints
 * times and memory.)
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { hostileCases } from '../fixtures/hostile/generate.ts';
import { tempDir } from '../helpers/tmp.ts';

async function radar(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  out.on('data', (d) => (chunks.stdout += d));
  err.on('data', (d) => (chunks.stderr += d));
  const code = await main(args, { stdout: out, stderr: err });
  return { code, ...chunks };
}

function storedIds(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT id FROM papers').all() as { id: string }[]).map((r) => r.id);
  } finally {
    d.close();
  }
}

/** The case named `name`, writing into a directory of the current test. */
function hostileCase(name: string) {
  const dir = tempDir();
  return { dir, c: hostileCases(dir).find((x) => x.name === name)! };
}

describe('hostile inputs', () => {
  for (const listed of hostileCases('').filter((x) => !x.big)) {
    it(`${listed.name}: ${listed.about}`, async () => {
      const { dir, c } = hostileCase(listed.name);
      await c.write();
      const db = join(dir, `${c.name}.db`);
      const r = await radar(['import', c.file, '--db', db, '--json']);
      // 2: nothing could be read at all.
      expect(r.code, r.stderr).toBe(c.exit === 'ok' ? 0 : 2);
      expect(`${r.stdout}\n${r.stderr}`).toMatch(c.message);
      if (c.exit === 'fail') return;
      const ids = storedIds(db);
      for (const id of c.landed) expect(ids).toContain(id);
      for (const id of c.absent ?? []) expect(ids).not.toContain(id);
      // Nothing but the good records (and, for the NUL cases, the padding lines) was stored.
      expect(ids.filter((id) => !c.landed.includes(id) && !/^arxiv:2501\.01\d{3}$/.test(id))).toEqual([]);
    });
  }

  it('the per-record messages say what is wrong and where', async () => {
    const problems = async (name: string) => {
      const { dir, c } = hostileCase(name);
      await c.write();
      const r = await radar(['import', c.file, '--db', join(dir, `${name}-msg.db`), '--json']);
      const file = JSON.parse(r.stdout).files[0];
      return [...file.rejected, ...file.warnings] as { locator: string; message: string }[];
    };
    expect(await problems('bib-unbalanced-brace')).toEqual([
      expect.objectContaining({ locator: expect.stringMatching(/bib-unbalanced-brace\.bib:9$/), message: expect.stringMatching(/entry bad is broken and was skipped: a brace is not closed before the next entry \(line 14\)/) }),
    ]);
    const bomb = await problems('bib-string-bomb');
    expect(bomb[0].message).toMatch(/@string s4 was ignored: it would expand to more than 10,000 characters/);
    expect(bomb.at(-1)!.message).toMatch(/BibTeX entry bomb was skipped: it uses @string s8, which was refused/);
    expect((await problems('atom-deep'))[0].message).toMatch(/<entry> 2 \(line \d+\) was skipped: its elements nest more than 64 deep/);
    expect((await problems('nul-late'))[0]).toMatchObject({ locator: expect.stringMatching(/:602$/), message: 'a NUL (zero) byte on line 602 was replaced with U+FFFD' });
    expect((await problems('gzip-bomb-16m')).at(-1)!.message).toMatch(/expands \d+-fold .* reading stopped there; the records before that point were read/);
  });
});
