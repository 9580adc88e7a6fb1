/**
 * The table of `radar` commands: name, one-line description, and the module
 * that registers it, loaded only when that command runs (or its help is
 * asked for). Start-up thus costs one module, not the whole program: a keyword
 * search never loads the vector indexes or the web server.
 *
 * A module may register several top-level commands (worker.ts: worker, jobs,
 * retry, run); each is listed here with the same loader. The descriptions are
 * what `radar --help` lists without loading anything; a test checks that they
 * match what the modules register.
 */
import type { Command } from 'commander';
import type { CliContext } from './context.ts';

/** Each command module adds itself to the program; `ctx()` is built from the global options at run time. */
export type Register = (program: Command, ctx: () => CliContext) => void;

export interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<Register>;
}

const worker = () => import('./commands/worker.ts').then((m) => m.registerWorker);

export const COMMANDS: CommandEntry[] = [
  { name: 'stats', description: 'counts of papers, profiles, authors and sources in the database', load: () => import('./commands/stats.ts').then((m) => m.registerStats) },
  { name: 'show', description: 'one paper: its merged record and where each part came from', load: () => import('./commands/show.ts').then((m) => m.registerShow) },
  {
    name: 'search',
    description: 'keyword search: words, "phrases", -exclusions, prefix*, a OR b, author:, title:, cat:, year:, date:, after:, before:',
    load: () => import('./commands/search.ts').then((m) => m.registerSearch),
  },
  { name: 'similar', description: 'papers similar to a paper (TF-IDF with feedback + the dense model), best first', load: () => import('./commands/similar.ts').then((m) => m.registerSimilar) },
  { name: 'eval', description: 'measure retrieval and recommendation quality on labelled data', load: () => import('./commands/eval.ts').then((m) => m.registerEval) },
  {
    name: 'import',
    description:
      'import papers from files: arXiv API (Atom) or OAI-PMH XML, the Kaggle arXiv snapshot and other JSON Lines (.gz too), ' +
      'Hugging Face Daily Papers JSON, BibTeX, CSL-JSON, or pasted listing text; the format is detected from the content',
    load: () => import('./commands/import.ts').then((m) => m.registerImport),
  },
  { name: 'serve', description: 'serve the web app and the JSON API (/api, documented at /api/openapi.json)', load: () => import('./commands/serve.ts').then((m) => m.registerServe) },
  { name: 'profile', description: 'researcher profiles: the papers a feed learns from, and rules', load: () => import('./commands/profile.ts').then((m) => m.registerProfile) },
  {
    name: 'feed',
    description: "a profile's ranked, explained feed of the papers listed in a window (counted back from the newest listing day; undated papers are never new)",
    load: () => import('./commands/feed.ts').then((m) => m.registerFeed) },
  {
    name: 'feedback',
    description: 'tell a profile what you think of a paper: like and save teach it, dismiss and seen hide the paper for good',
    load: () => import('./commands/feedback.ts').then((m) => m.registerFeedback),
  },
  {
    name: 'fetch',
    description: 'fetch papers from an online source: arxiv-new | arxiv-api | arxiv-oai | hf | biorxiv | medrxiv | enrich | openalex',
    load: () => import('./commands/fetch.ts').then((m) => m.registerFetch),
  },
  { name: 'worker', description: 'run the scheduled jobs of the configuration (fetch, enrich, refresh-indexes, digests) without the web server', load: worker },
  { name: 'jobs', description: 'list jobs (newest first), counts by state, upcoming schedules and recent digests', load: worker },
  { name: 'retry', description: 'put a failed job back in the queue with fresh attempts', load: worker },
  { name: 'run', description: 'queue a configured job to run now (a worker or `radar serve` picks it up)', load: worker },
  {
    name: 'digest',
    description: "show (--dry-run, default), send (--send) or inspect (--status, --feed-url) a profile's digest",
    load: () => import('./commands/digest.ts').then((m) => m.registerDigest),
  },
  { name: 'users', description: 'accounts: add, list, remove, reset a password, invite by link', load: () => import('./commands/users.ts').then((m) => m.registerUsers) },
  { name: 'tokens', description: 'API tokens for scripts (Authorization: Bearer TOKEN)', load: () => import('./commands/users.ts').then((m) => m.registerUsers) },
  {
    name: 'migrate',
    description: 'copy an embedded (SQLite) database into PostgreSQL, then verify counts and checksums of every table',
    load: () => import('./commands/migrate.ts').then((m) => m.registerMigrate),
  },
  {
    name: 'export',
    description: 'write your data — profiles and their papers, feedback, rules, notes, collections — as one JSON document, or collections as BibTeX/CSL-JSON',
    load: () => import('./commands/export.ts').then((m) => m.registerExport),
  },
  { name: 'restore', description: 'load a `radar export` document into this database (SQLite or PostgreSQL)', load: () => import('./commands/export.ts').then((m) => m.registerExport) },
  {
    name: 'sources',
    description: 'follow arXiv categories and Hugging Face Daily Papers (fetched by `radar serve` / `radar worker`)',
    load: () => import('./commands/sources.ts').then((m) => m.registerSources),
  },
  {
    name: 'doctor',
    description: 'check the database and its indexes, repair what can be rebuilt, and say what was done',
    load: () => import('./commands/doctor.ts').then((m) => m.registerDoctor),
  },
  {
    name: 'topics',
    description: 'topics of the corpus with papers per week (26 weeks) and growth, most rising first',
    load: () => import('./commands/topics.ts').then((m) => m.registerTopics),
  },
];
