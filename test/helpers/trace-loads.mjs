// `node --import ./trace-loads.mjs …`: prints "LOAD <url>" on stderr for every module the process resolves.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(s, c, next) {
  const r = await next(s, c);
  if (!r.url.startsWith('node:')) process.stderr.write('LOAD ' + r.url + '\\n');
  return r;
}`),
);
