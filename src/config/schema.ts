/**
 * The configuration file's shape (YAML or JSON), validated with zod so a bad
 * file fails at start-up with the key and the reason, not at 7 a.m. when the
 * first digest is due. docs/config.example.yaml explains every key.
 */
import { Cron } from 'croner';
import { z } from 'zod';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');
const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const cron = z.string().superRefine((pattern, ctx) => {
  try {
    new Cron(pattern, { paused: true });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid cron expression "${pattern}": ${(err as Error).message}` });
  }
});

const timezone = z.string().superRefine((tz, ctx) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    ctx.addIssue({ code: 'custom', message: `unknown time zone "${tz}" (use an IANA name such as America/New_York)` });
  }
});

const category = z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'expected an arXiv category such as cs.LG');

/** What a scheduled job does. `type` selects the worker's handler. */
export const taskSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('fetch'),
      source: z.enum(['arxiv-new', 'arxiv-api', 'arxiv-oai', 'hf', 'biorxiv', 'medrxiv', 'openalex']),
      categories: z.array(category).default([]),
      /** bioRxiv/medRxiv subject categories as the server spells them (`cell biology`); one run per subject, none = all. */
      subjects: z.array(z.string().regex(/^[A-Za-z][A-Za-z _-]*$/, 'expected a subject category such as "cell biology"')).optional(),
      /** openalex: at most this many papers asked about per run. */
      limit: z.number().int().min(1).max(100000).optional(),
      /** How many days back a run covers (arxiv-api, arxiv-oai, hf): overlapping runs are harmless, upserts merge. */
      days: z.number().int().min(1).max(366).default(2),
      /** OAI set, e.g. `cs`. */
      set: z.string().optional(),
      maxResults: z.number().int().min(1).max(30000).optional(),
    })
    .strict(),
  z.object({ type: z.literal('refresh-indexes') }).strict(),
  z.object({ type: z.literal('enrich'), limit: z.number().int().min(1).max(10000).default(50) }).strict(),
  z.object({ type: z.literal('digests'), profiles: z.array(z.string()).optional() }).strict(),
  /** Brings every profile that follows a Zotero library up to date with it (none named = all of them). */
  z.object({ type: z.literal('zotero-sync'), profiles: z.array(z.string()).optional() }).strict(),
]);
export type Task = z.infer<typeof taskSchema>;

const jobSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'job names are letters, digits, _ . -'),
    schedule: cron,
    task: taskSchema,
    maxAttempts: z.number().int().min(1).max(50).default(5),
  })
  .strict();

const digestSchema = z
  .object({
    frequency: z.enum(['daily', 'weekly']).default('daily'),
    /** Weekly digests go out on this day. */
    weekday: z.enum(WEEKDAYS).default('mon'),
    limit: z.number().int().min(1).max(200).default(10),
    email: z
      .object({
        to: z.array(z.email({ error: 'expected an e-mail address' })).min(1),
        subject: z.string().optional(),
      })
      .strict()
      .optional(),
    webhook: z.object({ url }).strict().optional(),
    /** Whether the profile's RSS/Atom feed URL is served. */
    rss: z.boolean().default(true),
  })
  .strict();
export type DigestSettings = z.infer<typeof digestSchema>;

export const configSchema = z
  .object({
    /** Where the papers live: a SQLite file or a postgres:// URL (env RADAR_DB, flag --db). */
    database: z.string().min(1).default('./radar.db'),
    /** Port `radar serve` listens on; 0 picks a free one (env PORT, flag --port). */
    port: z.number().int().min(0).max(65535).default(8080),
    /**
     * Dense model: builtin, onnx:DIR or openai:URL?model=NAME (src/vectors/select.ts;
     * env RADAR_EMBEDDER, flag --embedder). Unset: the model the indexes hold.
     */
    embedder: z.string().trim().min(1).optional(),
    /**
     * Public address of this server: links in e-mails and feeds point here.
     * Unset: the address a feed is fetched at, and for mails the address
     * `radar serve` last listened on (src/digest/public-url.ts).
     */
    baseUrl: url.optional(),
    /** Zone in which digest days, windows and cron schedules are read. */
    timezone: timezone.default('America/New_York'),
    /** Key for signing one-click links and feed tokens; when absent one is generated once and kept in the database. */
    secret: z.string().min(16, 'must be at least 16 characters').optional(),
    http: z
      .object({
        /** Put here how arXiv can reach you; it goes into the User-Agent. */
        contact: z.string().optional(),
        userAgent: z.string().min(1).optional(),
        minIntervalMs: z.number().int().min(0).default(3000),
        timeoutMs: z.number().int().min(1).default(30000),
        maxRetries: z.number().int().min(0).max(10).default(4),
        baseBackoffMs: z.number().int().min(0).default(2000),
        maxBackoffMs: z.number().int().min(0).default(60000),
      })
      .strict()
      .default({ minIntervalMs: 3000, timeoutMs: 30000, maxRetries: 4, baseBackoffMs: 2000, maxBackoffMs: 60000 }),
    sources: z
      .object({
        arxivApi: url.default('https://export.arxiv.org/api/query'),
        arxivOai: url.default('https://oaipmh.arxiv.org/oai'),
        arxivRss: url.default('https://rss.arxiv.org/rss'),
        huggingFace: url.default('https://huggingface.co'),
        /** bioRxiv and medRxiv share one API. */
        biorxivApi: url.default('https://api.biorxiv.org'),
        openalexApi: url.default('https://api.openalex.org'),
        /** Optional OpenAlex API key (higher daily allowance). */
        openalexKey: z.string().min(1).optional(),
        zoteroApi: url.default('https://api.zotero.org'),
        oaiMetadataPrefix: z.enum(['arXiv', 'arXivRaw']).default('arXiv'),
        /** An OAI harvest is cut into windows of this many days, each resumable on its own. */
        oaiChunkDays: z.number().int().min(1).max(366).default(7),
        /** Page size for arXiv API queries (arXiv allows up to 2000; 100-200 is kind). */
        apiPageSize: z.number().int().min(1).max(2000).default(100),
        /** When the arXiv categories followed in the app are fetched (cron, in `timezone`; default 20:30 US Eastern, Sunday–Thursday). */
        arxivSchedule: cron.optional(),
        /** When Hugging Face Daily Papers is fetched, if followed (cron, in `timezone`; default 23:30 UTC daily). */
        hfSchedule: cron.optional(),
      })
      .strict()
      .default({
        arxivApi: 'https://export.arxiv.org/api/query',
        arxivOai: 'https://oaipmh.arxiv.org/oai',
        arxivRss: 'https://rss.arxiv.org/rss',
        huggingFace: 'https://huggingface.co',
        biorxivApi: 'https://api.biorxiv.org',
        openalexApi: 'https://api.openalex.org',
        zoteroApi: 'https://api.zotero.org',
        oaiMetadataPrefix: 'arXiv',
        oaiChunkDays: 7,
        apiPageSize: 100,
      }),
    smtp: z
      .object({
        /** `smtp://user:pass@host:587` or `smtps://…:465`. */
        url: z.string().regex(/^smtps?:\/\//, 'expected smtp://… or smtps://…').optional(),
        from: z.string().default('Paper Radar <radar@localhost>'),
      })
      .strict()
      .default({ from: 'Paper Radar <radar@localhost>' }),
    calendar: z
      .object({
        /** Days a daily digest goes out. Default Monday–Friday: the mornings after arXiv's Sunday–Thursday announcements. */
        digestDays: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
        /** Days with no digest (arXiv holidays, your own); the next digest covers them. */
        holidays: z.array(day).default([]),
      })
      .strict()
      .default({ digestDays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] }),
    worker: z
      .object({
        pollMs: z.number().int().min(10).default(5000),
        leaseMs: z.number().int().min(1000).default(120000),
        /** Scheduler tick: how often due schedule slots are turned into jobs. */
        tickMs: z.number().int().min(10).default(15000),
        /** Back-off before a failed job's next attempt, doubled each attempt. */
        retryBaseMs: z.number().int().min(0).default(60000),
      })
      .strict()
      .default({ pollMs: 5000, leaseMs: 120000, tickMs: 15000, retryBaseMs: 60000 }),
    /**
     * One-sentence TL;DRs of papers from an OpenAI-compatible chat endpoint (a
     * local llama.cpp or Ollama server), generated in the background; absent: none.
     */
    tldr: z
      .object({
        /** Up to and including `/v1`, e.g. `http://localhost:11434/v1`. */
        url: z.string().regex(/^https?:\/\//, 'expected http://… or https://…'),
        model: z.string().min(1),
        /** Sent as a bearer token when set. */
        apiKey: z.string().optional(),
        timeoutMs: z.number().int().min(100).default(20000),
        /** A paper whose TL;DR failed is tried again after this long. */
        retryAfterMs: z.number().int().min(0).default(6 * 3600_000),
      })
      .strict()
      .optional(),
    jobs: z.array(jobSchema).default([]),
    profiles: z.record(z.string(), z.object({ digest: digestSchema }).strict()).default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    const configured = Object.keys(c.profiles);
    c.jobs.forEach((j, i) => {
      if (seen.has(j.name)) ctx.addIssue({ code: 'custom', path: ['jobs', i, 'name'], message: `duplicate job name "${j.name}"` });
      seen.add(j.name);
      // A digest job naming a profile without delivery settings would fail every morning; say so now.
      if (j.task.type !== 'digests') return;
      j.task.profiles?.forEach((name, k) => {
        if (c.profiles[name]) return;
        ctx.addIssue({
          code: 'custom',
          path: ['jobs', i, 'task', 'profiles', k],
          message: `profile "${name}" has no digest settings (profiles.${name}.digest)${configured.length ? `; configured: ${configured.join(', ')}` : ''}`,
        });
      });
    });
    for (const [name, p] of Object.entries(c.profiles)) {
      if (p.digest.email && !c.smtp.url) {
        ctx.addIssue({
          code: 'custom',
          path: ['profiles', name, 'digest', 'email'],
          message: 'e-mail delivery needs smtp.url (or env RADAR_SMTP_URL)',
        });
      }
    }
  });

export type RadarConfig = z.infer<typeof configSchema>;
