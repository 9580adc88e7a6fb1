#!/usr/bin/env node
/**
 * Compiles the `radar` command once, at install (`npm install` runs the
 * `prepare` script), so a call does not compile TypeScript: src/cli/main.ts
 * and everything it imports become plain ES modules in dist/cli/, npm packages
 * left as imports. Each command's dynamic import becomes its own chunk, so a
 * command loads only its own code.
 *
 * bin/radar.js runs dist/ only while it is newer than every file under src/;
 * after an edit it runs the sources through tsx until the next build
 * (`npm run build`).
 *
 * All output files sit in dist/cli/ (no chunk subfolder), so a source's
 * `import.meta.url` can be rewritten to the source file's own URL, relative
 * to the output: code that finds files beside it (package.json, the web
 * client's sources, the native FTS extension) reads the same files as under tsx.
 */
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'cli');

const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.tsx?$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(OUT, args.path).split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

const t0 = performance.now();
await rm(join(ROOT, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli/main.ts'],
  outdir: OUT,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [sourceUrls],
});
process.stderr.write(`built dist/cli in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
