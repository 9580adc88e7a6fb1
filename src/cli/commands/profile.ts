import type { Command } from 'commander';

import { addToProfile, createProfile, deleteProfile, ProfileError, removeFromProfile, showProfile, updateRules, type SeedReport } from '../../profile/profiles.ts';
import { importFilesForProfile } from '../../profile/import.ts';
import type { ProfileRules } from '../../store/types.ts';
import { finiteNumberRule, readOption } from '../../config/options.ts';
import { CliError, type CliContext } from '../context.ts';
import type { Register } from '../commands.ts';
import { registerZoteroCommands } from './zotero.ts';

const collectList = (v: string, prev: string[] = []) => [...prev, v];

/** Maps profile errors to CLI errors: not found → exit 2, an ambiguous author → exit 3 with the candidates. */
export function asCliError(err: unknown): unknown {
  if (err instanceof ProfileError) {
    if (err.code === 'not-found') return new CliError(err.message, 2);
    if (err.code === 'ambiguous-author') return new CliError(err.message, 3);
    return new CliError(err.message, 1);
  }
  return err;
}

function printReport(c: CliContext, r: SeedReport, verb: string) {
  if (c.json) return c.emitJson(r);
  c.say(`profile ${r.profile}: ${verb} ${r.added} paper${r.added === 1 ? '' : 's'} (${r.total} in the profile)`);
  for (const p of r.papers.slice(0, 50)) c.say(`  ${p.id}  ${p.title || '(title unknown)'}`);
  if (r.papers.length > 50) c.say(`  … and ${r.papers.length - 50} more`);
  if (r.withoutText.length) c.say(`  ${r.withoutText.length} paper(s) have no title or abstract yet (fetch them to let them count): ${r.withoutText.slice(0, 5).join(', ')}`);
  for (const p of r.problems.slice(0, 20)) c.say(`  problem: ${p}`);
  if (r.problems.length > 20) c.say(`  … ${r.problems.length - 20} more problems`);
}

function rulesFromOptions(o: { must?: string[]; never?: string[]; follow?: string[]; followOrg?: string[]; cutoff?: string }): ProfileRules {
  const rules: ProfileRules = {};
  if (o.must) rules.must = o.must;
  if (o.never) rules.never = o.never;
  if (o.follow) rules.authors = o.follow;
  if (o.followOrg) rules.organizations = o.followOrg;
  if (o.cutoff !== undefined) rules.cutoff = parseCutoff(o.cutoff);
  return rules;
}

/** Standard deviations above a random paper, e.g. 1.5. */
function parseCutoff(v: string): number {
  return readOption('--cutoff', finiteNumberRule, v, 0);
}

function ruleOptions(cmd: Command): Command {
  return cmd
    .option('--must <keyword>', 'keep only papers mentioning one of these (repeatable)', collectList)
    .option('--never <keyword>', 'never show papers mentioning this (repeatable)', collectList)
    .option('--follow <author>', 'follow an author: boosted and named as a reason (repeatable)', collectList)
    .option('--follow-org <organisation>', 'follow an organisation (repeatable)', collectList)
    .option('--cutoff <score>', 'relevance cut-off (default 1.5: standard deviations above a random paper)');
}

export const registerProfile: Register = (program, ctx) => {
  const profile = program.command('profile').description('researcher profiles: the papers a feed learns from, and rules');
  registerZoteroCommands(profile, ctx);

  ruleOptions(
    profile
      .command('create')
      .description('create a profile from publication lists, BibTeX/CSL-JSON exports, arXiv ids, or an author name')
      .argument('<name>', 'profile name')
      // Variadic, as DESIGN.md writes it (`--from FILE...`): `--from a.txt b.bib` and `--from a --from b` both work.
      .option('--from <files...>', 'pasted publication lists, BibTeX/CSL-JSON exports, or files of arXiv ids')
      .option('--arxiv <id>', 'an arXiv id or URL (repeatable)', collectList)
      .option('--author <name>', 'the papers of an author in the database')
      .option('--author-pick <n>', 'which person, when the author name matches several'),
  ).action(async (name: string, o) => {
    const c = ctx();
    if (!o.from && !o.arxiv && !o.author) throw new CliError('profile create: give --from FILE, --arxiv ID or --author NAME');
    const report = await c
      .withStore((store) =>
        createProfile(
          { store, now: c.now(), importFiles: importFilesForProfile },
          name,
          { files: o.from, arxivIds: o.arxiv, author: o.author, authorPick: o.authorPick ? Number(o.authorPick) : undefined },
          rulesFromOptions(o),
        ),
      )
      .catch((e) => {
        throw asCliError(e);
      });
    printReport(c, report, 'created with');
  });

  profile
    .command('add')
    .description('add papers to a profile: ids already in the database or arXiv ids, files, or an author')
    .argument('<name>', 'profile name')
    .argument('[ids...]', 'paper ids (arxiv:…, doi:…, arXiv URLs)')
    .option('--from <file>', 'a publication list, BibTeX/CSL-JSON export, or file of arXiv ids (repeatable)', collectList)
    .option('--author <name>', 'the papers of an author in the database')
    .option('--author-pick <n>', 'which person, when the author name matches several')
    .action(async (name: string, ids: string[], o) => {
      const c = ctx();
      // Bare arXiv ids not in the database yet are added as papers to fetch; other ids must exist.
      const arxivIds = ids.filter((id) => /^(arxiv:)?\d{4}\.\d{4,5}(v\d+)?$|arxiv\.org/i.test(id));
      const paperIds = ids.filter((id) => !arxivIds.includes(id));
      const report = await c
        .withStore((store) =>
          addToProfile({ store, now: c.now(), importFiles: importFilesForProfile }, name, {
            files: o.from,
            arxivIds,
            paperIds,
            author: o.author,
            authorPick: o.authorPick ? Number(o.authorPick) : undefined,
          }),
        )
        .catch((e) => {
          throw asCliError(e);
        });
      printReport(c, report, 'added');
    });

  profile
    .command('drop')
    .description("remove papers from a profile (the papers stay in the database)")
    .argument('<name>', 'profile name')
    .argument('<ids...>', 'paper ids')
    .action(async (name: string, ids: string[]) => {
      const c = ctx();
      const r = await c.withStore((s) => removeFromProfile(s, name, ids)).catch((e) => {
        throw asCliError(e);
      });
      if (c.json) return c.emitJson(r);
      c.say(`profile ${name}: removed ${r.removed} paper(s)${r.unknown.length ? `; unknown ids: ${r.unknown.join(', ')}` : ''}`);
    });

  profile
    .command('list')
    .description('all profiles with their paper counts')
    .action(async () => {
      const c = ctx();
      const list = await c.withStore((s) => s.profiles.listProfiles());
      if (c.json) return c.emitJson(list.map((p) => ({ name: p.name, papers: p.papers, rules: p.settings.rules ?? {}, createdAt: p.createdAt, updatedAt: p.updatedAt })));
      if (!list.length) return c.say('no profiles yet: radar profile create NAME --from FILE');
      for (const p of list) c.say(`${p.name.padEnd(24)} ${String(p.papers).padStart(5)} papers`);
    });

  profile
    .command('show')
    .description("a profile's papers, rules and feedback counts")
    .argument('<name>', 'profile name')
    .action(async (name: string) => {
      const c = ctx();
      const d = await c.withStore((s) => showProfile(s, name)).catch((e) => {
        throw asCliError(e);
      });
      if (c.json) return c.emitJson(d);
      c.say(`profile ${d.name} (created ${d.createdAt.slice(0, 10)}), ${d.papers.length} papers`);
      for (const p of d.papers) c.say(`  ${p.id}  ${p.title}${p.date ? `  (${p.date})` : ''}  [${p.origin}]`);
      const r = d.rules;
      if (r.must?.length) c.say(`  must mention: ${r.must.join(', ')}`);
      if (r.never?.length) c.say(`  never: ${r.never.join(', ')}`);
      if (r.authors?.length) c.say(`  follows: ${r.authors.join(', ')}`);
      if (r.organizations?.length) c.say(`  follows organisations: ${r.organizations.join(', ')}`);
      if (r.cutoff !== undefined) c.say(`  cut-off: ${r.cutoff}`);
      c.say(`  feedback: ${Object.entries(d.feedback).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    });

  profile
    .command('remove')
    .description('delete a profile with its feedback (papers stay in the database)')
    .argument('<name>', 'profile name')
    .action(async (name: string) => {
      const c = ctx();
      await c.withStore((s) => deleteProfile(s, name)).catch((e) => {
        throw asCliError(e);
      });
      if (c.json) return c.emitJson({ removed: name });
      c.say(`profile ${name} removed`);
    });

  ruleOptions(
    profile
      .command('rules')
      .description("change a profile's rules (keywords, followed authors/organisations, cut-off); prints them")
      .argument('<name>', 'profile name')
      .option('--unset <value>', 'remove a keyword, author or organisation from every rule (repeatable)', collectList)
      .option('--no-cutoff', 'go back to the default cut-off'),
  ).action(async (name: string, o) => {
    const c = ctx();
    const rules = await c
      .withStore((s) =>
        updateRules(
          s,
          name,
          {
            addMust: o.must,
            addNever: o.never,
            follow: o.follow,
            followOrg: o.followOrg,
            remove: o.unset,
            cutoff: o.cutoff === false ? null : typeof o.cutoff === 'string' ? parseCutoff(o.cutoff) : undefined,
          },
          c.now(),
        ),
      )
      .catch((e) => {
        throw asCliError(e);
      });
    if (c.json) return c.emitJson(rules);
    c.say(`profile ${name} rules: ${JSON.stringify(rules)}`);
  });

  // The global --db/--json are added to top-level commands by main.ts; subcommands take them too.
  for (const sub of profile.commands) sub.option('--db <path>', 'database: SQLite file or postgres:// URL').option('--json', 'machine-readable output on stdout');
};
