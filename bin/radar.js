#!/usr/bin/env node
// The `radar` command. Runs the build in dist/cli (made by `npm install` through
// the `prepare` script, or `npm run build`) while it is newer than every file
// under src/; otherwise, e.g. in a checkout whose sources were edited since,
// runs the TypeScript sources through tsx, so an edit never runs stale code.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const t = statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

function builtIsCurrent() {
  if (process.env.RADAR_FROM_SOURCE === '1') return false;
  let builtAt;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    return false;
  }
  return builtAt >= newestSource(join(root, 'src'));
}

let main;
if (builtIsCurrent()) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
