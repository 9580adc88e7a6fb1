import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../../src/cli/context.ts';
import { buildRuntime } from '../../src/cli/runtime.ts';
import { OptionError } from '../../src/config/options.ts';
import { tempDir } from '../helpers/tmp.ts';

const io = { stdout: new PassThrough(), stderr: new PassThrough() };

function configFile(text: string): string {
  const path = join(tempDir(), 'radar.config.yaml');
  writeFileSync(path, text);
  return path;
}

describe('the runtime of serve and worker: one schema, flag > env > file > default', () => {
  it('defaults: ./radar.db, port 8080, the model the indexes hold', () => {
    const rt = buildRuntime(makeContext({}, io), { config: configFile('{}\n') }, {});
    expect(rt).toMatchObject({ database: './radar.db', port: 8080, embedder: { spec: 'builtin', explicit: false } });
  });

  it('the file names the database, the port and the embedder; env overrides the file; flags override both', () => {
    const file = configFile('database: /data/papers.db\nport: 9000\nembedder: builtin\n');
    const fromFile = buildRuntime(makeContext({}, io), { config: file }, {});
    expect(fromFile).toMatchObject({ database: '/data/papers.db', port: 9000, embedder: { spec: 'builtin', explicit: true } });

    const env = { RADAR_DB: '/env/papers.db', PORT: '9100' };
    expect(buildRuntime(makeContext({}, io), { config: file }, env)).toMatchObject({ database: '/env/papers.db', port: 9100 });

    const flags = buildRuntime(makeContext({ db: '/flag/papers.db' }, io), { config: file, port: '9200' }, env);
    expect(flags).toMatchObject({ database: '/flag/papers.db', port: 9200 });
  });

  it('a bad value is refused by the same schema wherever it came from, naming its origin', () => {
    const file = configFile('port: 70000\n');
    expect(() => buildRuntime(makeContext({}, io), { config: file }, {})).toThrow(/port: Too big|port: .*65535/);
    expect(() => buildRuntime(makeContext({}, io), { config: configFile('{}\n') }, { PORT: 'eighty' })).toThrow(/port \(from env PORT\): expected a whole number/);
    expect(() => buildRuntime(makeContext({}, io), { config: configFile('{}\n'), port: 'eighty' }, {})).toThrow(OptionError);
    expect(() => buildRuntime(makeContext({}, io), { config: configFile('{}\n'), embedder: 'magic:x' }, {})).toThrow(/embedder "magic:x"/);
  });
});
