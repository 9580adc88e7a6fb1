import type { Command } from 'commander';
import { resolve } from 'node:path';
import { httpClientFor } from '../../jobs/runtime.ts';
import { followZotero, syncAllZotero, syncZotero, unfollowZotero, type ZoteroFollow, type ZoteroSyncDeps, type ZoteroSyncReport } from '../../profile/zotero.ts';
import { ZoteroReadError } from '../../ingest/zotero/sqlite.ts';
import { ZoteroApiError } from '../../ingest/zotero/web-api.ts';
import { CliError, type CliContext } from '../context.ts';
import { loadCliConfig } from './fetch.ts';
import { asCliError } from './profile.ts';

interface FollowOpts {
  sqlite?: string;
  group?: string;
  user?: string;
  key?: string;
  collection?: string;
  config?: string;
}

function followFrom(o: FollowOpts): ZoteroFollow {
  if (o.sqlite && (o.user || o.key)) throw new CliError('follow-zotero: give either --sqlite PATH or --user/--group ID with --key KEY, not both', 2);
  if (o.sqlite) return { kind: 'sqlite', path: resolve(o.sqlite), group: o.group, collection: o.collection };
  const key = o.key ?? process.env.ZOTERO_API_KEY;
  if (!o.user && !o.group) throw new CliError('follow-zotero: give --sqlite PATH (the local zotero.sqlite) or --user ID / --group ID with --key KEY (Web API)', 2);
  if (!key) throw new CliError('follow-zotero: the Web API needs an API key: --key KEY or env ZOTERO_API_KEY (zotero.org/settings/keys)', 2);
  const id = o.user ?? o.group!;
  if (!/^\d+$/.test(id)) throw new CliError(`follow-zotero: --${o.user ? 'user' : 'group'} expects the numeric library id (zotero.org/settings/keys shows yours), got "${id}"`, 2);
  return { kind: 'web', library: o.user ? 'user' : 'group', id, apiKey: key, collection: o.collection };
}

function say(c: CliContext, r: ZoteroSyncReport) {
  const v = r.version !== undefined ? ` (library version ${r.version}${r.notModified ? ', unchanged' : ''})` : '';
  c.say(`profile ${r.profile}: ${r.items} Zotero paper(s) followed; ${r.linked} added, ${r.unlinked} removed${v}`);
  for (const p of r.problems.slice(0, 20)) c.say(`  problem: ${p}`);
  if (r.problems.length > 20) c.say(`  … ${r.problems.length - 20} more problems`);
}

function asZoteroCliError(e: unknown): unknown {
  if (e instanceof ZoteroReadError || e instanceof ZoteroApiError) return new CliError(e.message, 2);
  return asCliError(e);
}

/** `radar profile follow-zotero | sync-zotero | unfollow-zotero`. */
export function registerZoteroCommands(profile: Command, ctx: () => CliContext): void {
  const deps = (c: CliContext, config: string | undefined, store: ZoteroSyncDeps['store']): ZoteroSyncDeps => {
    const cfg = loadCliConfig(c, config);
    return { store, now: () => c.now(), client: httpClientFor(cfg, c.say), apiBase: cfg.sources.zoteroApi, log: c.say };
  };

  profile
    .command('follow-zotero')
    .description('make a profile follow a Zotero library or collection (created if missing), then sync it now')
    .argument('<name>', 'profile name')
    .option('--sqlite <path>', 'the local zotero.sqlite (read from a copy: Zotero may stay open)')
    .option('--group <name-or-id>', 'a group library (with --sqlite: its name or id; for the Web API: its numeric id)')
    .option('--user <id>', 'Web API: your numeric user id')
    .option('--key <key>', 'Web API: an API key that may read the library (or env ZOTERO_API_KEY)')
    .option('--collection <name>', 'only this collection (name, Parent/Child path or key) and its subcollections')
    .option('--config <path>', 'configuration file (Zotero API address, User-Agent)')
    .action(async (name: string, o: FollowOpts) => {
      const c = ctx();
      // With --sqlite, --group names the local group; without, it is the Web API group id.
      const follow = followFrom(o);
      const r = await c
        .withStore(async (store) => {
          await followZotero(store, name, follow, c.now());
          return syncZotero(deps(c, o.config, store), name);
        })
        .catch((e) => {
          throw asZoteroCliError(e);
        });
      if (c.json) return c.emitJson(r);
      say(c, r);
    });

  profile
    .command('sync-zotero')
    .description('bring profiles that follow a Zotero library up to date (all of them when no name is given)')
    .argument('[names...]', 'profile names')
    .option('--config <path>', 'configuration file')
    .action(async (names: string[], o: { config?: string }) => {
      const c = ctx();
      const r = await c.withStore((store) => syncAllZotero(deps(c, o.config, store), names));
      if (c.json) c.emitJson(r);
      else for (const rep of r.reports) say(c, rep);
      for (const f of r.failures) c.say(`profile ${f.profile}: sync failed: ${f.error}`);
      if (!r.reports.length && !r.failures.length) c.say('no profile follows a Zotero library');
      if (r.failures.length) throw new CliError(`${r.failures.length} profile(s) could not be synced`, 1);
    });

  profile
    .command('unfollow-zotero')
    .description('stop following Zotero (the papers stay unless --drop-papers)')
    .argument('<name>', 'profile name')
    .option('--drop-papers', 'also remove the papers the sync had added')
    .action(async (name: string, o: { dropPapers?: boolean }) => {
      const c = ctx();
      const removed = await c.withStore((store) => unfollowZotero(store, name, c.now(), !!o.dropPapers)).catch((e) => {
        throw asZoteroCliError(e);
      });
      if (c.json) return c.emitJson({ profile: name, removed });
      c.say(`profile ${name}: no longer follows Zotero${o.dropPapers ? `; ${removed} paper(s) removed` : ''}`);
    });
}
