/**
 * Static assets, all served by the app itself (no CDN, no external fonts):
 * the stylesheet, the client script (src/web/client, bundled by esbuild once
 * at start-up and kept in memory), KaTeX's stylesheet and fonts from the
 * installed `katex` package, and the icon. URLs carry a content hash so
 * browsers cache them for good.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const HERE = dirname(fileURLToPath(import.meta.url));
const KATEX_DIST = join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');

interface Asset {
  body: Buffer;
  type: string;
  hash: string;
}

function asset(body: Buffer | string, type: string): Asset {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: buf, type, hash: createHash('sha256').update(buf).digest('hex').slice(0, 12) };
}

/** The client bundle: one ES module, minified. Built once per process. */
async function bundleClient(): Promise<Asset> {
  const out = await build({
    entryPoints: [join(HERE, 'client', 'main.ts')],
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return asset(Buffer.from(out.outputFiles[0].contents), 'text/javascript; charset=utf-8');
}

export interface Assets {
  /** URLs with content hashes, for the page head. */
  urls: { css: string; js: string; katexCss: string; icon: string };
}

let clientBundle: Promise<Asset> | undefined;

export async function registerAssets(app: FastifyInstance): Promise<Assets> {
  clientBundle ??= bundleClient();
  const [js, css, katexCss, icon] = await Promise.all([
    clientBundle,
    asset(readFileSync(join(HERE, 'static', 'app.css')), 'text/css; charset=utf-8'),
    asset(readFileSync(join(KATEX_DIST, 'katex.min.css')), 'text/css; charset=utf-8'),
    asset(readFileSync(join(HERE, 'static', 'icon.svg')), 'image/svg+xml'),
  ]);

  const send = (req: FastifyRequest, reply: FastifyReply, a: Asset) => {
    const v = (req.query as { v?: string }).v;
    reply.header('cache-control', v === a.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('etag', `"${a.hash}"`);
    if (req.headers['if-none-match'] === `"${a.hash}"`) return reply.code(304).send();
    return reply.type(a.type).send(a.body);
  };
  // Assets are public: the sign-in page needs its stylesheet and script before anyone is signed in.
  const hidden = { config: { access: 'public' as const } };
  app.get('/assets/app.css', hidden, (req, reply) => send(req, reply, css));
  app.get('/assets/app.js', hidden, (req, reply) => send(req, reply, js));
  app.get('/assets/icon.svg', hidden, (req, reply) => send(req, reply, icon));
  app.get('/favicon.ico', hidden, (req, reply) => send(req, reply, icon));
  app.get('/assets/katex/katex.min.css', hidden, (req, reply) => send(req, reply, katexCss));

  // KaTeX fonts, referenced relatively by katex.min.css (`fonts/KaTeX_Main-Regular.woff2`).
  const fonts = new Map<string, Asset>();
  app.get('/assets/katex/fonts/:file', hidden, (req, reply) => {
    const file = (req.params as { file: string }).file;
    const m = /^KaTeX_[A-Za-z0-9_-]+\.(woff2|woff|ttf)$/.exec(file);
    if (!m) return reply.code(404).send({ error: { message: `no font ${file}` } });
    let a = fonts.get(file);
    if (!a) {
      try {
        a = asset(readFileSync(join(KATEX_DIST, 'fonts', file)), `font/${m[1]}`);
      } catch {
        return reply.code(404).send({ error: { message: `no font ${file}` } });
      }
      fonts.set(file, a);
    }
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.type(a.type).send(a.body);
  });

  return {
    urls: {
      css: `/assets/app.css?v=${css.hash}`,
      js: `/assets/app.js?v=${js.hash}`,
      katexCss: `/assets/katex/katex.min.css?v=${katexCss.hash}`,
      icon: `/assets/icon.svg?v=${icon.hash}`,
    },
  };
}
