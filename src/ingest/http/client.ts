/**
 * The one HTTP client every online source goes through. It carries arXiv's
 * rules for polite clients so no fetcher can forget them: a minimum interval
 * between requests to the same host (shared by every fetcher using this
 * client), a descriptive User-Agent, a timeout covering headers *and* body,
 * bounded retries with exponential back-off and full jitter on 429/5xx and
 * network failures, and `Retry-After` (seconds or HTTP-date) honoured.
 *
 * Time is injected (`now`, `sleep`, `random`) so tests use tiny intervals and
 * can check the delays asked for without timing anything.
 */
import { HostRateLimiter } from './rate-limit.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface HttpClientOptions {
  /** Sent on every request. arXiv asks for a name and a contact address. */
  userAgent: string;
  /** Minimum milliseconds between the starts of two requests to one host. Default 3000 (arXiv's rule). */
  minIntervalMs?: number;
  /** Per-attempt limit for the whole exchange, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** First back-off step; doubles each retry, capped at `maxBackoffMs`. Default 2 s / 60 s. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails (HttpError.retryAfterMs) and the job system retries then. Default 10 min. */
  maxRetryAfterMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Progress/diagnostic lines (retries, waits). */
  log?: (line: string) => void;
}

export interface HttpResponse {
  url: string;
  status: number;
  headers: Headers;
  text: string;
}

/** A request that did not produce a usable response; the message names the URL, the status and the attempts. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly attempts: number,
    readonly retryable: boolean,
    /**
     * The server's `Retry-After` when it was longer than this client waits:
     * the job system reads it (src/jobs/worker.ts) so the job's next attempt is
     * not before the time the server asked for.
     */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HttpClient {
  readonly userAgent: string;
  private readonly limiter: HostRateLimiter;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log: (line: string) => void;

  constructor(opts: HttpClientOptions) {
    if (!opts.userAgent.trim()) throw new Error('HttpClient: userAgent must not be empty (arXiv asks clients to identify themselves)');
    this.userAgent = opts.userAgent;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.random = opts.random ?? Math.random;
    this.limiter = new HostRateLimiter(opts.minIntervalMs ?? 3000, this.now, this.sleep);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxRetries = opts.maxRetries ?? 4;
    this.baseBackoffMs = opts.baseBackoffMs ?? 2000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 60_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 600_000;
    this.log = opts.log ?? (() => {});
  }

  /** GET a URL and return its body as text; throws HttpError on a non-2xx status after the retries. */
  async getText(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('GET', url, undefined, headers);
  }

  async postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('POST', url, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  async request(method: string, url: string, body: string | undefined, headers: Record<string, string>): Promise<HttpResponse> {
    const host = new URL(url).host;
    let attempt = 0;
    for (;;) {
      attempt++;
      await this.limiter.acquire(host);
      let wait: number | undefined;
      let failure: HttpError;
      try {
        const res = await this.once(method, url, body, headers);
        if (res.status >= 200 && res.status < 300) return res;
        const retryable = RETRYABLE_STATUS.has(res.status);
        failure = new HttpError(
          `${method} ${url} → ${res.status} ${statusText(res.status)}${attempt > 1 ? ` after ${attempt} attempts` : ''}${snippet(res.text)}`,
          url,
          res.status,
          attempt,
          retryable,
        );
        if (!retryable) throw failure;
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
        if (retryAfter !== undefined) {
          if (retryAfter > this.maxRetryAfterMs) {
            throw new HttpError(
              `${failure.message}; server asks to retry after ${Math.round(retryAfter / 1000)} s, longer than the ${Math.round(this.maxRetryAfterMs / 1000)} s this client waits`,
              url,
              res.status,
              attempt,
              true,
              retryAfter,
            );
          }
          wait = retryAfter;
        }
      } catch (err) {
        if (err instanceof HttpError) throw err;
        const reason = describeNetworkError(err, this.timeoutMs);
        failure = new HttpError(`${method} ${url} failed: ${reason}${attempt > 1 ? ` (after ${attempt} attempts)` : ''}`, url, undefined, attempt, true);
      }
      if (attempt > this.maxRetries) throw failure;
      // Full jitter spreads retries of many clients; Retry-After, when given, is a floor.
      const backoff = Math.round(this.random() * Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** (attempt - 1)));
      const delay = Math.max(wait ?? 0, backoff);
      this.log(`${failure.message}; retry ${attempt}/${this.maxRetries} in ${(delay / 1000).toFixed(1)} s`);
      await this.sleep(delay);
    }
  }

  private async once(method: string, url: string, body: string | undefined, headers: Record<string, string>): Promise<HttpResponse> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError()), this.timeoutMs);
    try {
      const res = await fetch(url, {
        method,
        body,
        headers: { 'user-agent': this.userAgent, accept: '*/*', ...headers },
        signal: controller.signal,
        redirect: 'follow',
      });
      // Reading the body inside the timer: a server that sends headers and then stalls is a timeout too.
      const text = await res.text();
      return { url, status: res.status, headers: res.headers, text };
    } finally {
      clearTimeout(timer);
    }
  }
}

class TimeoutError extends Error {
  constructor() {
    super('timeout');
    this.name = 'TimeoutError';
  }
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (err instanceof TimeoutError || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) {
    return `no complete response within ${timeoutMs} ms`;
  }
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause instanceof TimeoutError) return `no complete response within ${timeoutMs} ms`;
    const detail = cause?.code ?? cause?.message;
    // undici reports a body cut short (fewer bytes than Content-Length, or a closed chunked stream) as "terminated".
    if (err.message === 'terminated') return `response body cut short (${detail ?? 'connection closed'})`;
    return detail ? `${err.message} (${detail})` : err.message;
  }
  return String(err);
}

function statusText(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    403: 'Forbidden',
    404: 'Not Found',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return names[status] ?? '';
}

function snippet(text: string): string {
  const s = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return s ? `: ${s.slice(0, 160)}` : '';
}
