/**
 * The address links in mails and feeds point at. A configured `baseUrl`
 * (env RADAR_BASE_URL) always wins: behind a proxy only the operator knows it.
 * Otherwise:
 *  - a feed fetched over HTTP links back to the address it was fetched at
 *    (the request's Host, checked to be a plain host name and port, so a
 *    forged header cannot put markup or another path into the links);
 *  - a mail, sent by a worker that has no request, uses the address the last
 *    `radar serve` reported listening on (kept in the database).
 */
import type { RadarConfig } from '../config/schema.ts';
import type { JobStore } from '../store/types.ts';

export const SERVER_ADDRESS_KEY = 'server:address';
/** Only when nothing better is known (no configuration, no server ever started): the default `radar serve` address. */
export const FALLBACK_URL = 'http://localhost:8080';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `http(s)://HOST` for a request, or undefined when the Host header is not a plain host[:port]. */
export function requestOrigin(protocol: string, host: string | undefined): string | undefined {
  if (!host || !HOST.test(host)) return undefined;
  const port = /:(\d+)$/.exec(host)?.[1];
  if (port && Number(port) > 65535) return undefined;
  return `${protocol === 'https' ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/** Where links point, and how that was decided (for `--dry-run` to say). */
export async function publicUrl(
  config: Pick<RadarConfig, 'baseUrl'>,
  store: Pick<JobStore, 'getState'>,
  request?: { protocol: string; host?: string },
): Promise<{ url: string; from: 'config' | 'request' | 'server' | 'fallback' }> {
  if (config.baseUrl) return { url: config.baseUrl.replace(/\/+$/, ''), from: 'config' };
  const fromRequest = request && requestOrigin(request.protocol, request.host);
  if (fromRequest) return { url: fromRequest, from: 'request' };
  const recorded = (await store.getState(SERVER_ADDRESS_KEY)) as { url?: string } | null | undefined;
  if (recorded?.url) return { url: recorded.url, from: 'server' };
  return { url: FALLBACK_URL, from: 'fallback' };
}
